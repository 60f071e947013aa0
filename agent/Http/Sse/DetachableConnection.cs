using System.IO.Pipelines;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;

namespace Diode.Edge.Agent.Http.Sse;

/// <summary>
/// What Kestrel's HTTP layer sees of a connection (its transport and its heartbeat), so that a response can take the
/// connection out of the HTTP layer: after <see cref="Detach"/> the HTTP layer reads the end of input, its writes are
/// dropped and its timeouts no longer tick, so it finishes the request and lets go of every per-request object (the
/// request, its features, header tables, scopes and tasks), while the connection itself (the socket and Kestrel's
/// transport) stays open. The detached work then runs in this connection middleware (<see cref="RunAsync"/>), which
/// ends it when the consumer closes, sends more than <see cref="MaxDiscardedInput"/>, or the server shuts down.
/// Also the connection feature that counts its requests: only a connection's first request may take it.
/// </summary>
internal sealed class DetachableConnection : IDuplexPipe, IConnectionHeartbeatFeature
{
    /// <summary>Bytes a detached consumer may send (it has no reason to send any) before its connection is closed.</summary>
    public const int MaxDiscardedInput = 16 * 1024;

    private readonly DetachableInput _input;
    private readonly DetachableOutput _output;
    private IConnectionHeartbeatFeature? _heartbeat;
    private Func<CancellationToken, Task>? _detached;
    private Action? _inputOverflow;
    private Action<object>? _tick;
    private object? _tickState;
    private int _requests;

    private DetachableConnection(IDuplexPipe transport)
    {
        _input = new DetachableInput(transport.Input);
        _output = new DetachableOutput(transport.Output);
    }

    /// <summary>Requests this connection has carried so far.</summary>
    public int Requests => Volatile.Read(ref _requests);

    public bool IsDetached => Volatile.Read(ref _detached) is not null;

    PipeReader IDuplexPipe.Input => _input;

    PipeWriter IDuplexPipe.Output => _output;

    public void RequestStarted() => Interlocked.Increment(ref _requests);

    /// <summary>
    /// Takes the connection out of the HTTP layer: the current request must write nothing more through Kestrel and end
    /// at once; <paramref name="serve"/> runs after it, with a token cancelled when the connection is to end.
    /// <paramref name="inputOverflow"/> counts a connection closed for sending more than <see cref="MaxDiscardedInput"/>.
    /// </summary>
    public void Detach(Func<CancellationToken, Task> serve, Action inputOverflow)
    {
        ArgumentNullException.ThrowIfNull(serve);
        ArgumentNullException.ThrowIfNull(inputOverflow);
        _inputOverflow = inputOverflow;
        if (Interlocked.CompareExchange(ref _detached, serve, null) is not null)
        {
            throw new InvalidOperationException("the connection is already detached");
        }

        _input.Detach();
        _output.Detach();
        Volatile.Write(ref _tick, null);
        Volatile.Write(ref _tickState, null);
    }

    /// <summary>The connection middleware: the HTTP layer on this wrapper, then the detached work if a response took the connection.</summary>
    public static async Task RunAsync(ConnectionContext connection, ConnectionDelegate next)
    {
        var transport = connection.Transport;
        var detachable = new DetachableConnection(transport);
        connection.Features.Set(detachable);
        if (connection.Features.Get<IConnectionHeartbeatFeature>() is { } heartbeat)
        {
            detachable._heartbeat = heartbeat;
            heartbeat.OnHeartbeat(static state => ((DetachableConnection)state).Tick(), detachable);
            connection.Features.Set<IConnectionHeartbeatFeature>(detachable);
        }

        connection.Transport = detachable;
        try
        {
            await next(connection).ConfigureAwait(false);
        }
        finally
        {
            connection.Transport = transport;

            // However the HTTP layer ended: the detached work owns the consumer's subscription and must run to release it.
            if (Volatile.Read(ref detachable._detached) is { } serve)
            {
                await ServeDetachedAsync(connection, transport.Input, serve, detachable._inputOverflow!).ConfigureAwait(false);
            }
        }
    }

    private static async Task ServeDetachedAsync(ConnectionContext connection, PipeReader input, Func<CancellationToken, Task> serve, Action inputOverflow)
    {
        using var ending = new CancellationTokenSource();
        using var shutdown = connection.Features.Get<IConnectionLifetimeNotificationFeature>()?.ConnectionClosedRequested
            .Register(static state => ((CancellationTokenSource)state!).Cancel(), ending);
        var watch = WatchInputAsync(input, ending, inputOverflow);
        try
        {
            await serve(ending.Token).ConfigureAwait(false);
        }
        finally
        {
            await ending.CancelAsync().ConfigureAwait(false);
            input.CancelPendingRead();
            await watch.ConfigureAwait(false);
            connection.Abort();
        }
    }

    /// <summary>Reads and drops what the peer sends, at most <see cref="MaxDiscardedInput"/> bytes; its end (or too much, counted) ends the connection.</summary>
    private static async Task WatchInputAsync(PipeReader input, CancellationTokenSource ending, Action inputOverflow)
    {
        long discarded = 0;
        try
        {
            while (!ending.IsCancellationRequested)
            {
                var result = await input.ReadAsync().ConfigureAwait(false);
                discarded += result.Buffer.Length;
                input.AdvanceTo(result.Buffer.End);
                if (discarded > MaxDiscardedInput)
                {
                    inputOverflow();
                    break;
                }

                if (result.IsCompleted || result.IsCanceled)
                {
                    break;
                }
            }
        }
        catch (Exception e) when (e is IOException or ConnectionResetException or ObjectDisposedException or InvalidOperationException)
        {
        }
        finally
        {
            await ending.CancelAsync().ConfigureAwait(false);
        }
    }

    /// <summary>The first handler (the HTTP layer's timeouts) ticks until the connection is detached; any further one goes to Kestrel's own heartbeat.</summary>
    void IConnectionHeartbeatFeature.OnHeartbeat(Action<object> action, object state)
    {
        if (IsDetached || Interlocked.CompareExchange(ref _tick, action, null) is not null)
        {
            _heartbeat?.OnHeartbeat(action, state);
            return;
        }

        Volatile.Write(ref _tickState, state);
    }

    private void Tick()
    {
        var tick = Volatile.Read(ref _tick);
        var state = Volatile.Read(ref _tickState);
        if (tick is not null && state is not null)
        {
            tick(state);
        }
    }
}

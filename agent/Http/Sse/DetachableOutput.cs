using System.IO.Pipelines;

namespace Diode.Edge.Agent.Http.Sse;

/// <summary>
/// The connection's output as Kestrel's HTTP layer writes it (<see cref="DetachableConnection"/>): the transport's
/// output until detached, then a sink: what the HTTP layer writes after that (the head and end of a response it thinks
/// empty) never reaches the socket, which the detached work writes. Memory the HTTP layer took from the transport before
/// the detach is still advanced on the transport.
/// </summary>
internal sealed class DetachableOutput(PipeWriter transport) : PipeWriter
{
    /// <summary>Where dropped writes go; shared, as nothing reads it.</summary>
    private static readonly byte[] Sink = new byte[4096];
    private volatile bool _detached;
    private bool _writing;

    public void Detach() => _detached = true;

    public override bool CanGetUnflushedBytes => !_detached && transport.CanGetUnflushedBytes;

    public override long UnflushedBytes => _detached ? 0 : transport.UnflushedBytes;

    public override Memory<byte> GetMemory(int sizeHint = 0)
    {
        if (_detached && !_writing)
        {
            return sizeHint <= Sink.Length ? Sink : new byte[sizeHint];
        }

        _writing = true;
        return transport.GetMemory(sizeHint);
    }

    public override Span<byte> GetSpan(int sizeHint = 0) => GetMemory(sizeHint).Span;

    public override void Advance(int bytes)
    {
        if (!_detached || _writing)
        {
            _writing = false;
            transport.Advance(bytes);
        }
    }

    public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default) =>
        _detached ? ValueTask.FromResult(new FlushResult(isCanceled: false, isCompleted: false)) : transport.FlushAsync(cancellationToken);

    public override ValueTask<FlushResult> WriteAsync(ReadOnlyMemory<byte> source, CancellationToken cancellationToken = default) =>
        _detached ? ValueTask.FromResult(new FlushResult(isCanceled: false, isCompleted: false)) : transport.WriteAsync(source, cancellationToken);

    public override void CancelPendingFlush()
    {
        if (!_detached)
        {
            transport.CancelPendingFlush();
        }
    }

    public override void Complete(Exception? exception = null)
    {
        if (!_detached)
        {
            transport.Complete(exception);
        }
    }
}

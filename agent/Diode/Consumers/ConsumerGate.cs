using System.Net;
using Diode.Edge.Agent.Diode.Api;
using Diode.Edge.Agent.Logging;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;

namespace Diode.Edge.Agent.Diode.Consumers;

/// <summary>
/// The connection middleware of the published port (<c>diode.consumerPort</c>): before any HTTP is read, asks the
/// Diode client who is at the other end (<c>GET /connection-client-id?peer=</c>, keyed by the connection's remote
/// endpoint) and stores the answer as a <see cref="DiodeConsumerFeature"/>. Fails closed: a peer the client does not
/// vouch for (404, the API down or answering wrongly) has its connection closed without a byte of HTTP.
/// </summary>
/// <remarks>
/// Ordering in the real client (rpc/bridge.go, handlePortOpen, v1.18.8): it dials the backend first
/// (<c>net.DialTimeout</c>, so our accept can complete at once), then builds the connected port, upgrades TLS if the
/// port is TLS, <c>pool.SetPort</c>, and only then <c>pool.RegisterConnectionPeer(remoteConn.LocalAddr().String(),
/// portOpen.DeviceID)</c>, then answers the portopen and starts <c>port.Copy()</c>. So the mapping can be missing for a
/// moment after the connection arrives (a 404 then is not yet a refusal: retried, <see cref="Attempts"/> tries over
/// about 300 ms), but it always exists before the first relayed byte, because bytes flow only from <c>port.Copy()</c>.
/// The mapping is removed when the relayed port closes (rpc/connectedport.go, <c>UnregisterConnectionPeer</c>), so it is
/// read once per connection, at its start.
/// </remarks>
internal sealed partial class ConsumerGate(DiodeConfigApi api, ConsumerMetrics metrics, IServiceProvider services, TimeProvider time, ILogger<ConsumerGate> logger)
{
    public const int Attempts = 3;

    public static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(150);

    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(5);
    private readonly RefusalLog _refusals = new(time, TimeSpan.FromSeconds(10));

    /// <summary>For <c>ListenOptions.Use</c>.</summary>
    public ConnectionDelegate Wrap(ConnectionDelegate next) => async connection =>
    {
        var (address, reason) = await ResolveAsync(connection).ConfigureAwait(false);
        if (address is null)
        {
            metrics.Refused(reason);
            if (_refusals.ShouldLog(out long suppressed))
            {
                LogRefused(logger, connection.RemoteEndPoint, reason, suppressed);
            }

            connection.Abort(new ConnectionAbortedException("the Diode client does not vouch for this peer: " + reason));
            return;
        }

        var peer = (IPEndPoint)connection.RemoteEndPoint!;
        connection.Features.Set(new DiodeConsumerFeature(address, peer));
        metrics.Accepted(address);
        LogAccepted(logger, address, peer);

        // The network just carried a consumer to the device: the route works, whatever the relay lines said.
        // (Resolved here, not injected: Kestrel builds this gate while the server, which the supervisor needs, is being built.)
        (services.GetService(typeof(DiodeSupervisor)) as DiodeSupervisor)?.ObserveConsumer();
        await next(connection).ConfigureAwait(false);
    };

    private async Task<(string? Address, string Reason)> ResolveAsync(ConnectionContext connection)
    {
        if (connection.RemoteEndPoint is not IPEndPoint peer)
        {
            return (null, "no_peer");
        }

        using var budget = CancellationTokenSource.CreateLinkedTokenSource(connection.ConnectionClosed);
        budget.CancelAfter(Budget);
        var outcome = ConnectionLookupOutcome.Unavailable;
        try
        {
            for (int attempt = 1; attempt <= Attempts; attempt++)
            {
                var lookup = await api.LookupConnectionAsync(peer, budget.Token).ConfigureAwait(false);
                outcome = lookup.Outcome;
                if (lookup.Address is { } address)
                {
                    return (address, string.Empty);
                }

                if (outcome == ConnectionLookupOutcome.Invalid || attempt == Attempts)
                {
                    break;
                }

                await Task.Delay(RetryDelay, time, budget.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            return (null, connection.ConnectionClosed.IsCancellationRequested ? "closed" : "timeout");
        }

        return (null, outcome switch
        {
            ConnectionLookupOutcome.Unknown => "unknown",
            ConnectionLookupOutcome.Invalid => "invalid",
            _ => "api_unavailable",
        });
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "consumer {Address} connected from {Peer} (vouched for by the Diode client)")]
    private static partial void LogAccepted(ILogger logger, string address, IPEndPoint peer);

    [LoggerMessage(Level = LogLevel.Warning, Message = "published port: refused the connection from {Peer} ({Reason}: the Diode client does not vouch for it); {Suppressed} more refusals since the last line")]
    private static partial void LogRefused(ILogger logger, EndPoint? peer, string reason, long suppressed);
}

using Diode.Edge.Agent.Streams;
using Microsoft.Extensions.Hosting;

namespace Diode.Edge.Agent.Hosting;

/// <summary>Every 15 s, sends a comment line to every SSE consumer, so proxies and NAT do not drop idle connections.</summary>
internal sealed class KeepAliveService(StreamHub hub, TimeProvider timeProvider) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(15);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, timeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                hub.BroadcastKeepAlive();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}

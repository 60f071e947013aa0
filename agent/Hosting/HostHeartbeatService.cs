using Diode.Edge.Watchdog;
using Microsoft.Extensions.Hosting;

namespace Diode.Edge.Agent.Hosting;

/// <summary>
/// The host's own heartbeat, beaten every second from the thread pool: if the pool is starved or deadlocked, the beat
/// stops, the health gate closes, petting stops and the hardware resets the board.
/// </summary>
internal sealed class HostHeartbeatService(HealthGate gate, TimeProvider timeProvider) : BackgroundService
{
    public static readonly TimeSpan StaleAfter = TimeSpan.FromSeconds(10);

    private readonly Heartbeat _heartbeat = gate.Register("host", StaleAfter);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), timeProvider);
        try
        {
            do
            {
                _heartbeat.Beat();
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}

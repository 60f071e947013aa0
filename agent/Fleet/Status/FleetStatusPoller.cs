using Microsoft.Extensions.Hosting;

namespace Diode.Edge.Agent.Fleet.Status;

/// <summary><c>fleet serve</c>'s loop: polls the fleet every interval and keeps the latest report for the page.</summary>
internal sealed class FleetStatusPoller(FleetStatusCollector collector, IReadOnlyList<FleetDeviceTarget> targets, TimeSpan interval, TimeProvider time) : BackgroundService
{
    private readonly TaskCompletionSource<FleetStatusReport> _first = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private FleetStatusReport? _latest;

    public TimeSpan Interval => interval;

    /// <summary>The latest report; waits for the first poll when there is none yet.</summary>
    public Task<FleetStatusReport> LatestAsync(CancellationToken cancellationToken) =>
        Volatile.Read(ref _latest) is { } latest ? Task.FromResult(latest) : _first.Task.WaitAsync(cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(interval, time);
        do
        {
            var report = await collector.CollectAsync(targets, stoppingToken).ConfigureAwait(false);
            Volatile.Write(ref _latest, report);
            _first.TrySetResult(report);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }
}

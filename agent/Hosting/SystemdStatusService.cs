using Diode.Edge.Agent.Store;
using Diode.Edge.Agent.Streams;
using Diode.Edge.Watchdog;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;

namespace Diode.Edge.Agent.Hosting;

/// <summary>
/// sd_notify by its own contract (docs/watchdog.md, "The kernel interface and systemd"): whenever <c>NOTIFY_SOCKET</c> is set, READY=1 once started (unless
/// the systemd lifetime already sends it), a one-line STATUS= every 10 s, STOPPING=1 on the way out.
/// </summary>
internal sealed class SystemdStatusService(IServiceProvider services, StreamHub hub, WatchdogService watchdog, TimeProvider timeProvider) : BackgroundService
{
    private readonly ISystemdNotifier? _notifier = services.GetService<ISystemdNotifier>();
    private readonly bool _lifetimeNotifies = SystemdHelpers.IsSystemdService();

    /// <summary>e.g. "2 streams, 3 consumers, diode: connected, store: ok, watchdog: bcm2835_wdt 15s".</summary>
    public string StatusLine()
    {
        string store = services.GetService<StoreWriterService>()?.Status is { } s ? (s.Writable ? "store: ok" : "store: degraded") : "store: off";
        string diode = services.GetService<Diode.DiodeSupervisor>()?.Status.Summary ?? "diode: off";
        return $"{hub.Streams.Count()} streams, {hub.ConsumerCount} consumers, {diode}, {store}, {watchdog.Status.Summary}";
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_notifier is { IsEnabled: true } && !_lifetimeNotifies)
        {
            _notifier.Notify(ServiceState.Stopping);
        }

        await base.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_notifier is not { IsEnabled: true } notifier)
        {
            return;
        }

        if (!_lifetimeNotifies)
        {
            notifier.Notify(ServiceState.Ready);
        }

        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(10), timeProvider);
        try
        {
            do
            {
                notifier.Notify(new ServiceState("STATUS=" + StatusLine()));
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}

using System.Threading.Channels;
using Diode.Edge.Agent.Configuration;
using Diode.Edge.Agent.Hosting;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Diode.Edge.Agent.Fleet;

/// <summary>
/// Keeps a deployment the host now runs only if the agent becomes healthy within its <c>rollbackAfter</c> and stays so
/// for <see cref="Settle"/> (a sensor that is still starting reports healthy): every component in /health other than
/// the deployments themselves not unhealthy, checked each second (degraded is healthy enough: a Diode client still
/// connecting must not undo a change). Otherwise the previous configuration is restored, the status says
/// <c>rolledBack</c> naming the component, and the host starts again with it. A host started after a power cut with a
/// deployment still pending gets a fresh window. A deployment applied in place is gated the same way (<see cref="Watch"/>).
/// </summary>
internal sealed partial class DeploymentGate(
    LoadedConfig config,
    DeploymentState state,
    HealthCheckService health,
    AgentRestart restart,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    ILogger<DeploymentGate> logger) : BackgroundService
{
    /// <summary>The health check that reports the deployments themselves (never a reason to roll back).</summary>
    public const string HealthName = "deployments";

    /// <summary>How long the agent must stay healthy for a deployment to be kept (within its rollbackAfter, at least 10 s).</summary>
    public static readonly TimeSpan Settle = TimeSpan.FromSeconds(5);

    private readonly Channel<DeploymentDocument> _watch = Channel.CreateBounded<DeploymentDocument>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

    /// <summary>Gates a deployment applied in place (<see cref="DeploymentService"/>), as one the host started with.</summary>
    public void Watch(DeploymentDocument document) => _watch.Writer.TryWrite(document);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            var status = state.Status;
            if (status.State == "pending" && config.Overlay?.Seq == status.Seq && state.Applied() is { } bytes && DeploymentDocument.Parse(bytes, out _) is { } started
                && !await KeepOrRollBackAsync(started, stoppingToken).ConfigureAwait(false))
            {
                return;
            }

            await foreach (var document in _watch.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                if (!await KeepOrRollBackAsync(document, stoppingToken).ConfigureAwait(false))
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>
    /// Which failure a rollback names when several checks fail at once: the host itself first, then what other parts
    /// depend on (streams, watchdog, Diode client, clock, store, MQTT), a sensor last (sensors in their configured
    /// order). Not the order the features registered their checks in, which is free to change.
    /// </summary>
    private static int NamingRank(string check) => check switch
    {
        "host" => 0,
        "streams" => 1,
        "watchdog" => 2,
        "diode" => 3,
        "clock" => 4,
        "store" => 5,
        "mqtt" => 6,
        _ => 7,
    };

    /// <summary>True when <paramref name="document"/> is kept; false when it was rolled back (the host then starts again with the previous configuration).</summary>
    private async Task<bool> KeepOrRollBackAsync(DeploymentDocument document, CancellationToken stoppingToken)
    {
        ulong seq = document.Claims.Seq;
        var started = time.GetTimestamp();
        var deadline = document.RollbackAfter;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), time);
        (string Name, string Why)? failing = null;
        long? healthySince = null;
        do
        {
            var report = await health.CheckHealthAsync(r => r.Name != HealthName, stoppingToken).ConfigureAwait(false);
            var bad = report.Entries.Where(e => e.Value.Status == HealthStatus.Unhealthy).OrderBy(e => NamingRank(e.Key)).FirstOrDefault();
            if (bad.Key is not null)
            {
                failing = (bad.Key, bad.Value.Description ?? bad.Value.Status.ToString());
                healthySince = null;
                continue;
            }

            healthySince ??= time.GetTimestamp();
            if (time.GetElapsedTime(healthySince.Value) >= Settle)
            {
                var after = time.GetElapsedTime(started);
                state.MarkApplied($"healthy for {Settle.TotalSeconds:F0} s, {after.TotalSeconds:F0} s after it was applied", time.GetUtcNow());
                LogApplied(logger, seq, after.TotalSeconds);
                return true;
            }
        }
        while (time.GetElapsedTime(started) < deadline && await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));

        var (name, why) = failing ?? ("host", "not healthy long enough");
        string reason = $"not healthy within {Duration.Format(deadline)}: {name}: {why}";
        state.RollBack(reason, name, time.GetUtcNow());
        LogRolledBack(logger, seq, reason);
        restart.Request($"rollback of deployment {seq}", lifetime);
        return false;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "deployment {Seq} applied: healthy {Seconds:F0} s after it was applied")]
    private static partial void LogApplied(ILogger logger, ulong seq, double seconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "deployment {Seq} rolled back: {Reason}; the previous configuration runs again")]
    private static partial void LogRolledBack(ILogger logger, ulong seq, string reason);
}

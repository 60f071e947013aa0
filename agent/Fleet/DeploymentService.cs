using Diode.Edge.Agent.Configuration;
using Diode.Edge.Agent.Hosting;
using Diode.Edge.Agent.Identity;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Diode.Edge.Agent.Fleet;

/// <summary>
/// Takes deployments from any carrier (<c>POST /deployments</c>): verified (<see cref="DeploymentVerifier"/>), the
/// merged configuration checked as a local one would be, then stored durably and applied, in place where it can be,
/// else by restarting the host in the same process; <see cref="DeploymentGate"/> keeps it or rolls it back by the agent's health.
/// </summary>
internal sealed partial class DeploymentService(
    LoadedConfig config,
    DeploymentState state,
    DeviceIdentity identity,
    AgentRestart restart,
    IHostApplicationLifetime lifetime,
    SensorsHostedService sensors,
    DeploymentGate gate,
    TimeProvider time,
    ILogger<DeploymentService> logger) : IDisposable
{
    private readonly Lock _lock = new();
    private readonly SemaphoreSlim _applying = new(1, 1);
    private AgentOptions _running = config.Options;
    private readonly Dictionary<string, long> _offered = new(StringComparer.Ordinal);

    public DeploymentState State => state;

    /// <summary>This device's address (what a deployment's target names).</summary>
    public string DeviceAddress => identity.Address;

    /// <summary>How many documents were offered, by result: <c>accepted</c> or the rejection's name.</summary>
    public IReadOnlyDictionary<string, long> Offered
    {
        get
        {
            lock (_lock)
            {
                return new Dictionary<string, long>(_offered, StringComparer.Ordinal);
            }
        }
    }

    /// <summary>
    /// Decides on the document in <paramref name="bytes"/>, delivered by <paramref name="carrier"/> (for the log only:
    /// carriers are not trusted), and stores an accepted one durably; <see cref="Apply"/> then applies it.
    /// </summary>
    public DeploymentVerdict Offer(byte[] bytes, string carrier)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        lock (_lock)
        {
            var verdict = Decide(bytes, out var document);
            string result = verdict.Rejection is { } rejection ? Name(rejection) : "accepted";
            _offered[result] = _offered.GetValueOrDefault(result) + 1;
            var now = time.GetUtcNow();
            if (!verdict.Accepted)
            {
                state.Rejected(document?.Claims.Seq ?? 0, result, verdict.Reason, now);
                LogRejected(logger, document?.Claims.Seq ?? 0, carrier, verdict.Reason);
                return verdict;
            }

            state.Accept(document!, verdict.Reason, now);
            LogAccepted(logger, document!.Claims.Seq, carrier, verdict.Reason, document.RollbackAfter.TotalSeconds);
            return verdict;
        }
    }

    /// <summary>
    /// Applies the deployment <see cref="Offer"/> accepted (call it once the carrier has its answer): in place when it
    /// only changes the interval or reporting rules of sensors that stay (<see cref="LiveSensorChanges"/>), so every
    /// consumer stays connected; otherwise the host stops and starts again with it. Either way it is then gated by health.
    /// </summary>
    public void Apply() => _ = ApplyAsync();

    private async Task ApplyAsync()
    {
        ulong seq = state.Status.Seq;
        await _applying.WaitAsync().ConfigureAwait(false);
        try
        {
            var document = state.Applied() is { } bytes ? DeploymentDocument.Parse(bytes, out _) : null;
            if (document is null || document.Claims.Seq != seq)
            {
                restart.Request($"deployment {seq}", lifetime);
                return;
            }

            var next = ConfigLoader.Load(config.Source.ConfigPath, config.Source.Sets, new DeploymentOverlay(seq, document.Config));
            if (LiveSensorChanges.Plan(_running, next.Options) is not { } changed)
            {
                restart.Request($"deployment {seq}", lifetime);
                return;
            }

            await sensors.ReconfigureAsync(changed, lifetime.ApplicationStopping).ConfigureAwait(false);
            _running = next.Options;
            LogAppliedInPlace(logger, seq, changed.Count == 0 ? "nothing runs differently" : "sensors " + string.Join(", ", changed.Select(c => c.Name)) + " run with their new settings");
            gate.Watch(document);
        }
        catch (Exception ex) when (ex is ConfigException or InvalidOperationException or TimeoutException or IOException)
        {
            // Whatever could not be done in place is done by starting the host again with the deployment.
            LogNotInPlace(logger, seq, ex.Message);
            restart.Request($"deployment {seq}", lifetime);
        }
        catch (OperationCanceledException) when (lifetime.ApplicationStopping.IsCancellationRequested)
        {
        }
        finally
        {
            _applying.Release();
        }
    }

    public void Dispose() => _applying.Dispose();

    /// <summary>The camel-case name of a rejection, as the status, the metrics and the HTTP answer spell it.</summary>
    public static string Name(DeploymentRejection rejection)
    {
        string name = rejection.ToString();
        return char.ToLowerInvariant(name[0]) + name[1..];
    }

    private DeploymentVerdict Decide(byte[] bytes, out DeploymentDocument? document)
    {
        document = DeploymentDocument.Parse(bytes, out string? problem);
        if (document is null)
        {
            return DeploymentVerdict.Reject(DeploymentRejection.Malformed, problem!);
        }

        var options = config.Options;
        var verdict = new DeploymentVerifier(options.Fleet, options.Diode.Fleet, identity.Address, time).Verify(document, state.Status.HighestSeq);
        if (!verdict.Accepted)
        {
            return verdict;
        }

        try
        {
            ConfigLoader.Load(config.Source.ConfigPath, config.Source.Sets, new DeploymentOverlay(document.Claims.Seq, document.Config));
        }
        catch (ConfigException ex)
        {
            return DeploymentVerdict.Reject(DeploymentRejection.InvalidConfig, ex.Errors[0].ToString());
        }

        return verdict;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "deployment {Seq} applied in place, every consumer stays connected: {What}")]
    private static partial void LogAppliedInPlace(ILogger logger, ulong seq, string what);

    [LoggerMessage(Level = LogLevel.Warning, Message = "deployment {Seq} could not be applied in place ({Problem}): starting the host again with it")]
    private static partial void LogNotInPlace(ILogger logger, ulong seq, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "deployment {Seq} from {Carrier} rejected: {Reason}")]
    private static partial void LogRejected(ILogger logger, ulong seq, string carrier, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "deployment {Seq} from {Carrier} accepted ({Reason}): applying it; kept if the agent is healthy within {Seconds} s, else rolled back")]
    private static partial void LogAccepted(ILogger logger, ulong seq, string carrier, string reason, double seconds);
}

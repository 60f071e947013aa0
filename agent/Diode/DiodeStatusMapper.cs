using System.Globalization;
using Diode.Edge.Agent.Configuration;

namespace Diode.Edge.Agent.Diode;

/// <summary>
/// From what a run of the client said to where it stands (pure: no I/O, no lock, the time passed in). Its lines become
/// events (<see cref="DiodeLogParser"/>), the events the run's facts (<see cref="DiodeRunObserver"/>), and the facts,
/// with what its config API said, the <see cref="DiodeStatus"/> that /health, /metrics and STATUS= show. Unit-tested on
/// the real client's lines (tests/golden/diode).
/// </summary>
internal static class DiodeStatusMapper
{
    /// <summary>Where a running client stands from its lines alone.</summary>
    public static DiodeState StateOf(DiodeRunObserver run, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(run);
        return run.ValidatedAt is null
            ? (run.Version is null ? DiodeState.Starting : run.Offline ? DiodeState.Offline : DiodeState.Connecting)
            : run.AllRelaysDown(now) || run.PortNotPublishedAt is not null ? DiodeState.Disconnected
            : run.PublishedPorts.Count > 0 ? DiodeState.Published : DiodeState.Validated;
    }

    /// <summary>
    /// The status of a running client: <paramref name="current"/> updated from its lines and its config API.
    /// <paramref name="sharedAddress"/> is the device key's address when the key is shared with the client, else null.
    /// </summary>
    public static DiodeStatus Running(DiodeStatus current, DiodeRunObserver run, DiodeApiState api, string? configuredFleet, string? sharedAddress, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(api);
        string? client = api.Client ?? run.ClientAddress;
        string? fleet = api.Fleet ?? run.Fleet;
        string? mismatch = Mismatch(configuredFleet, fleet, sharedAddress, client);

        var state = StateOf(run, now);
        string detail = state switch
        {
            DiodeState.Starting => current.Detail,
            DiodeState.Connecting => "connecting to the Diode network",
            DiodeState.Offline => $"no Diode relay reachable ({run.Relays.Count} failed); the client retries",
            DiodeState.Disconnected when run.PortNotPublishedAt is not null => "the network says the port was not published (" + DiodeLogParser.StripAnsi(run.PortNotPublishedLine ?? string.Empty).Trim() + ")",
            DiodeState.Disconnected => $"all {run.PoolSize} relays lost or failing; the client reconnects",
            _ => mismatch ?? $"network validated at block {run.ValidatedBlock}" + (run.PublishedPorts.Count > 0 ? ", published " + string.Join(", ", run.PublishedPorts) : string.Empty),
        };
        string node = run.Relays.Where(r => r.State == RelayState.Up).Select(r => r.Server).FirstOrDefault() ?? current.Node ?? string.Empty;
        return current with
        {
            State = state,
            Detail = detail,
            Version = api.Version ?? run.Version ?? current.Version,
            ClientAddress = client ?? current.ClientAddress,
            Fleet = fleet ?? current.Fleet,
            Node = node.Length > 0 ? node : null,
            FailingSince = state is DiodeState.Validated or DiodeState.Published ? null : current.FailingSince ?? now,
            RelaysConnected = run.RelaysUp(now),
            RelayPool = run.PoolSize,
            ValidatedAt = run.ValidatedAt,
            ValidatedBlock = run.ValidatedBlock,
            ReachableAt = run.ReachableAt,
            Api = api.AnsweredAt is { } at ? "answering (" + at.UtcDateTime.ToString("HH:mm:ss'Z'", CultureInfo.InvariantCulture) + ")" : api.FailingSince is { } since ? "not answering since " + since.UtcDateTime.ToString("HH:mm:ss'Z'", CultureInfo.InvariantCulture) : "not asked yet",
            Mismatch = mismatch,
        };
    }

    /// <summary>The status once a run has ended (the client exited or was stopped), with its exit code.</summary>
    public static DiodeStatus Ended(DiodeStatus current, DiodeRunOutcome outcome, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(outcome);
        if (outcome.End == DiodeRunEnd.Stopping)
        {
            return current with { Pid = null, LastExitCode = outcome.ExitCode };
        }

        var state = outcome.End switch
        {
            DiodeRunEnd.Offline => DiodeState.Offline,
            DiodeRunEnd.Misconfigured => DiodeState.Misconfigured,
            DiodeRunEnd.Crashed => DiodeState.Crashed,
            _ => DiodeState.Disconnected,
        };
        return current with { State = state, Detail = outcome.Reason, Pid = null, LastExitCode = outcome.ExitCode, FailingSince = current.FailingSince ?? now };
    }

    /// <summary>
    /// Why the running client is not what the owner configured, or null: another fleet than <c>diode.fleet</c> (the
    /// device would admit another fleet's devices), or another address than the shared device key.
    /// </summary>
    public static string? Mismatch(string? configuredFleet, string? reportedFleet, string? sharedAddress, string? reportedClient)
    {
        if (DiodeOptions.IsRealFleet(configuredFleet) && reportedFleet is not null && !string.Equals(reportedFleet, configuredFleet, StringComparison.OrdinalIgnoreCase))
        {
            return $"the client runs in fleet {reportedFleet}, not diode.fleet {configuredFleet}";
        }

        return sharedAddress is not null && reportedClient is not null && !string.Equals(reportedClient, sharedAddress, StringComparison.OrdinalIgnoreCase)
            ? $"the client's address {reportedClient} is not the device key's {sharedAddress} (identity.shareWithDiode)"
            : null;
    }
}

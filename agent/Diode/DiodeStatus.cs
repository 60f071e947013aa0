namespace Diode.Edge.Agent.Diode;

/// <summary>A snapshot of the Diode client for /health, /metrics, STATUS= and <c>diode-edge diode status</c>.</summary>
internal sealed record DiodeStatus(
    DiodeState State,
    string Detail,
    string? Binary,
    string? Version,
    string? ClientAddress,
    string? Fleet,
    string? Node,
    int? Pid,
    long Restarts,
    int? LastExitCode,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FailingSince)
{
    /// <summary>Relays of the pool taken as connected (the pool less those lost or failing).</summary>
    public int RelaysConnected { get; init; }

    /// <summary>Relays in the pool.</summary>
    public int RelayPool { get; init; }

    /// <summary>When this run printed <c>Network is validated</c>.</summary>
    public DateTimeOffset? ValidatedAt { get; init; }

    /// <summary>The last block the client validated.</summary>
    public string? ValidatedBlock { get; init; }

    /// <summary>The config API: "answering", or why not.</summary>
    public string? Api { get; init; }

    /// <summary>When the network last vouched for the device (validation, or a consumer it forwarded).</summary>
    public DateTimeOffset? ReachableAt { get; init; }

    /// <summary>Why the last restart happened.</summary>
    public string? LastRestartReason { get; init; }

    /// <summary>Restarts by cause: crashed, offline, notValidated, unreachable, unresponsive, misconfigured.</summary>
    public IReadOnlyDictionary<string, long> RestartsBy { get; init; } = new Dictionary<string, long>();

    /// <summary>Starts with <c>-bqdowngrade</c> (after that many starts that never validated).</summary>
    public long BlockQuickDowngrades { get; init; }

    /// <summary>Set when the client reports another fleet than <c>diode.fleet</c>, or another address than the device key it was given.</summary>
    public string? Mismatch { get; init; }

    /// <summary>Lines of the client's output cut at the line bound.</summary>
    public long TruncatedLines { get; init; }

    /// <summary>
    /// The STATUS= part, e.g. "diode: connected (5/5 relays, validated 06:40Z)", "diode: offline (restarts: offline 3)",
    /// "diode: mismatch (the client runs in fleet 0x…, not diode.fleet 0x…)".
    /// </summary>
    public string Summary => State switch
    {
        DiodeState.Validated or DiodeState.Published when Mismatch is not null => $"diode: mismatch ({Mismatch})",
        DiodeState.Validated or DiodeState.Published => $"diode: connected ({RelaysConnected}/{RelayPool} relays" + (ValidatedAt is { } at ? ", validated " + at.UtcDateTime.ToString("HH:mm'Z'", System.Globalization.CultureInfo.InvariantCulture) : string.Empty) + ")",
        DiodeState.NotFound => "diode: not found",
        DiodeState.Disabled => "diode: off",
        DiodeState.Misconfigured => "diode: configuration error",
        _ when LastRestartReason is not null => $"diode: {State.ToString().ToLowerInvariant()} (last restart: {LastRestartReason})",
        _ => "diode: " + State.ToString().ToLowerInvariant(),
    };
}

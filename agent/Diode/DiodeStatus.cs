namespace Diode.Edge.Agent.Diode;

/// <summary>A snapshot of the Diode client for /health, /metrics, STATUS= and <c>diode-edge diode status</c>.</summary>
public sealed record DiodeStatus(
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
    /// <summary>e.g. "diode: connected", "diode: not found".</summary>
    public string Summary => State switch
    {
        DiodeState.Validated or DiodeState.Published => "diode: connected",
        DiodeState.NotFound => "diode: not found",
        DiodeState.Disabled => "diode: off",
        _ => "diode: " + State.ToString().ToLowerInvariant(),
    };
}

using Diode.Edge.Agent.Configuration;
using Diode.Edge.Agent.Diode.Api;

namespace Diode.Edge.Agent.Diode;

/// <summary>
/// What the supervisor knows, under one lock: the <see cref="DiodeStatus"/> that /health, /metrics and STATUS= read, the
/// run being watched (its lines arrive on the output readers' threads, consumers on Kestrel's), and what its config API
/// said. Every change to the status goes through here; the mapping itself is <see cref="DiodeStatusMapper"/>'s.
/// </summary>
/// <param name="initial">The status before the first start.</param>
/// <param name="configuredFleet"><c>diode.fleet</c>, which the client must report.</param>
/// <param name="sharedAddress">The device key's address when it is shared with the client (it must report it), else null.</param>
internal sealed class DiodeStatusBoard(DiodeStatus initial, string? configuredFleet, string? sharedAddress)
{
    private readonly Lock _sync = new();
    private DiodeStatus _status = initial;
    private DiodeRunObserver? _run;
    private DiodeApiState _api = DiodeApiState.Unknown;
    private long _truncatedBefore;

    public DiodeStatus Status
    {
        get
        {
            lock (_sync)
            {
                return _status;
            }
        }
    }

    /// <summary>Applies a change; true when the state changed.</summary>
    public bool Update(Func<DiodeStatus, DiodeStatus> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        lock (_sync)
        {
            var before = _status.State;
            _status = change(_status);
            return _status.State != before;
        }
    }

    /// <summary>A run started: from now on its lines and its API make the status.</summary>
    public void Begin(DiodeRunObserver run, string binary, int pid, DateTimeOffset started, bool downgrade)
    {
        lock (_sync)
        {
            _run = run;
            _api = DiodeApiState.Unknown;
            _status = _status with
            {
                State = DiodeState.Starting, Detail = "started " + binary, Binary = binary, Pid = pid, StartedAt = started, FailingSince = _status.FailingSince ?? started,
                BlockQuickDowngrades = _status.BlockQuickDowngrades + (downgrade ? 1 : 0), ValidatedAt = null, Mismatch = null,
            };
        }
    }

    /// <summary>One line of the run's output; the client's pid, and true when this line validated the network.</summary>
    public (int Pid, bool Validated) Line(DiodeRunObserver run, DiodeLogEvent e, string line, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(run);
        lock (_sync)
        {
            int pid = _status.Pid ?? 0;
            bool wasValidated = run.ValidatedAt is not null;
            run.Apply(e, line, now);
            Refresh(run, now);
            return (pid, !wasValidated && run.ValidatedAt is not null);
        }
    }

    /// <summary>The config API answered with <paramref name="config"/> at <paramref name="now"/>, or did not (null) when asked at <paramref name="asked"/>.</summary>
    public void Api(DiodeClientConfig? config, DateTimeOffset asked, DateTimeOffset now)
    {
        lock (_sync)
        {
            _api = config is null
                ? _api with { FailingSince = _api.FailingSince ?? asked }
                : new DiodeApiState(now, null, config.Client, config.Fleet, config.Version);
        }
    }

    /// <summary>A second of the run: the status again, and whether the liveness policy wants it restarted.</summary>
    public (DiodeRunEnd End, string Reason)? Tick(DiodeRunObserver run, DiodeOptions options, DateTimeOffset now, long truncatedLines)
    {
        lock (_sync)
        {
            var decision = DiodeLivenessPolicy.Decide(run, _api, options, now);
            Refresh(run, now);
            _status = _status with { TruncatedLines = _truncatedBefore + truncatedLines };
            return decision;
        }
    }

    /// <summary>The run is over; its cut lines stay counted.</summary>
    public void End(long truncatedLines)
    {
        lock (_sync)
        {
            _run = null;
            _truncatedBefore += truncatedLines;
            _status = _status with { TruncatedLines = _truncatedBefore };
        }
    }

    /// <summary>The network vouched for the device (a consumer it forwarded).</summary>
    public void ObserveReachable(DateTimeOffset now)
    {
        lock (_sync)
        {
            _run?.ObserveReachable(now);
        }
    }

    /// <summary>Status from the run's lines and the API (under the lock), while that run is the current one.</summary>
    private void Refresh(DiodeRunObserver run, DateTimeOffset now)
    {
        if (ReferenceEquals(run, _run))
        {
            _status = DiodeStatusMapper.Running(_status, run, _api, configuredFleet, sharedAddress, now);
        }
    }
}

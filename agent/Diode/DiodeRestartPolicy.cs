using Diode.Edge.Agent.Configuration;
using Diode.Edge.Agent.Resilience;
using Microsoft.Extensions.Logging;
using Polly;

namespace Diode.Edge.Agent.Diode;

/// <summary>
/// When and how the client is started again (docs/diode-client.md, "Backoff"): Polly's exponential backoff with jitter
/// from <c>diode.restartDelay</c> to <c>diode.restartCeiling</c> on the supervisor's <see cref="TimeProvider"/>, never
/// giving up and starting over after a stable run; a client that refused its command line only every
/// <see cref="MisconfiguredRetry"/>; every restart counted by cause; and <c>-bqdowngrade</c> once
/// <c>diode.blockQuickDowngradeAfter</c> starts in a row never validated the network.
/// </summary>
internal sealed class DiodeRestartPolicy
{
    /// <summary>
    /// How many of the backoff's last delays are remembered: a client that crashes for months restarts hundreds of
    /// thousands of times, and a list of them all grew for the agent's life (8 bytes a restart, in one array).
    /// </summary>
    internal const int RestartDelaysKept = 128;

    /// <summary>A client that refused its command line is tried again this seldom: the same command line fails the same way.</summary>
    internal static readonly TimeSpan MisconfiguredRetry = TimeSpan.FromMinutes(10);

    private readonly DiodeOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Action<DiodeRunOutcome, DiodeRestartCount> _counted;
    private readonly ResiliencePipeline<DiodeRunOutcome> _pipeline;
    private readonly Lock _sync = new();
    private readonly Queue<TimeSpan> _restartDelays = new(RestartDelaysKept);
    private readonly Dictionary<string, long> _restartsBy = new(StringComparer.Ordinal);
    private long _restarts;

    /// <param name="options">The client's options: the delays, the stable run and the downgrade threshold.</param>
    /// <param name="time">The clock the backoff waits on.</param>
    /// <param name="logger">The supervisor's logger, for the restart lines.</param>
    /// <param name="counted">Told of every restart once it is counted, before it is logged (the supervisor's status).</param>
    public DiodeRestartPolicy(DiodeOptions options, TimeProvider time, ILogger logger, Action<DiodeRunOutcome, DiodeRestartCount> counted)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _time = time;
        _logger = logger;
        _counted = counted;
        _pipeline = RetryForever.Pipeline<DiodeRunOutcome>(
            options.RestartDelay,
            options.RestartCeiling,
            shouldHandle: args => ValueTask.FromResult(args.Outcome.Result is { Stable: false, End: not DiodeRunEnd.Stopping }),
            onRetry: args =>
            {
                Restarted(args.Outcome.Result!, args.RetryDelay);
                return ValueTask.CompletedTask;
            },
            delayGenerator: args => ValueTask.FromResult<TimeSpan?>(args.Outcome.Result?.End == DiodeRunEnd.Misconfigured ? MisconfiguredRetry : null),
            time: time);
    }

    /// <summary>The last <see cref="RestartDelaysKept"/> delays the backoff chose, oldest first, for tests.</summary>
    public IReadOnlyList<TimeSpan> RestartDelays
    {
        get
        {
            lock (_sync)
            {
                return [.. _restartDelays];
            }
        }
    }

    /// <summary>Starts in a row that ended without validating the network (a stale BlockQuick window survives restarts).</summary>
    public int StartsWithoutValidation { get; private set; }

    /// <summary>True when the next start passes <c>-bqdowngrade</c>.</summary>
    public bool DowngradeNextStart => StartsWithoutValidation >= _options.BlockQuickDowngradeAfter;

    /// <summary>The cause a restart is counted under (<c>restartsBy</c> in /health, <c>cause</c> in /metrics).</summary>
    public static string Cause(DiodeRunEnd end) => end switch
    {
        DiodeRunEnd.NotValidated => "notValidated",
        _ => end.ToString().ToLowerInvariant(),
    };

    /// <summary>
    /// Runs <paramref name="start"/> again and again, waiting the backoff between runs, until one ends in a way that is
    /// not retried: a stable run, or the agent stopping. The cancellation of <paramref name="cancellationToken"/> during
    /// a wait ends it with <see cref="OperationCanceledException"/>.
    /// </summary>
    public async Task<DiodeRunOutcome> RunAsync(Func<CancellationToken, Task<DiodeRunOutcome>> start, CancellationToken cancellationToken) =>
        await _pipeline.ExecuteAsync(ct => new ValueTask<DiodeRunOutcome>(start(ct)), cancellationToken).ConfigureAwait(false);

    /// <summary>A stable run ended: counted as a restart after the first delay, which it waits; the backoff starts again from there.</summary>
    public async Task AfterStableRunAsync(DiodeRunOutcome outcome, CancellationToken cancellationToken)
    {
        Restarted(outcome, _options.RestartDelay);
        await Task.Delay(_options.RestartDelay, _time, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Counts a restart after <paramref name="delay"/> and logs it.</summary>
    internal void Restarted(DiodeRunOutcome outcome, TimeSpan delay)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        string cause = Cause(outcome.End);
        DiodeRestartCount count;
        lock (_sync)
        {
            if (_restartDelays.Count == RestartDelaysKept)
            {
                _restartDelays.Dequeue();
            }

            _restartDelays.Enqueue(delay);
            _restartsBy[cause] = _restartsBy.GetValueOrDefault(cause) + 1;
            _restarts++;
            count = new DiodeRestartCount(_restarts, new Dictionary<string, long>(_restartsBy));
        }

        _counted(outcome, count);
        if (outcome.End == DiodeRunEnd.Misconfigured)
        {
            DiodeSupervisorLog.LogMisconfigured(_logger, outcome.Reason, Duration.Format(delay));
        }
        else
        {
            DiodeSupervisorLog.LogRestarting(_logger, outcome.Reason, delay.TotalSeconds);
        }
    }

    /// <summary>
    /// A run ended: one that never validated because the network could not be validated counts towards
    /// <c>-bqdowngrade</c>; one that validated starts the count again; any other (a crash, offline) leaves it.
    /// </summary>
    public void RunEnded(bool validated, DiodeRunEnd? end)
    {
        if (!validated && end is DiodeRunEnd.NotValidated)
        {
            StartsWithoutValidation++;
        }
        else if (validated)
        {
            StartsWithoutValidation = 0;
        }
    }
}

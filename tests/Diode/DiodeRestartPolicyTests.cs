using Diode.Edge.Agent.Configuration;
using Diode.Edge.Agent.Diode;
using Diode.Edge.Tests.Support;
using Microsoft.Extensions.Logging;

namespace Diode.Edge.Tests.DiodeClient;

/// <summary>
/// When and how the client is started again: Polly's backoff with jitter waited on the supervisor's clock (a fake one
/// here, so a minute of backoff takes no time), restarts counted by cause, and <c>-bqdowngrade</c> after starts that
/// never validated.
/// </summary>
[Trait("Tier", Tiers.Unit)]
public sealed class DiodeRestartPolicyTests
{
    private static readonly DiodeOptions Options = new()
    {
        RestartDelay = TimeSpan.FromSeconds(1), RestartCeiling = TimeSpan.FromSeconds(60), StableAfter = TimeSpan.FromMinutes(5), BlockQuickDowngradeAfter = 3,
    };

    private static readonly DiodeRunOutcome Crashed = new(DiodeRunEnd.Crashed, 2, TimeSpan.FromSeconds(3), false, "exited with code 2 after 3.0 s (Couldn't execute command: call to dead genserver)");
    private static readonly DiodeRunOutcome Stable = new(DiodeRunEnd.Crashed, 2, TimeSpan.FromMinutes(6), true, "exited with code 2 after 360.0 s");

    /// <summary>How long (real time) a test waits for the policy; the fake clock makes every wait instant otherwise.</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    private readonly TimerRecordingTimeProvider _time = new();
    private readonly List<DiodeRestartCount> _counted = [];
    private readonly List<string> _log = [];
    private readonly DiodeRestartPolicy _policy;

    public DiodeRestartPolicyTests()
    {
        _policy = new DiodeRestartPolicy(Options, _time, new ListLogger(_log), (_, count) => _counted.Add(count));
    }

    [Fact]
    public async Task Crashes_are_retried_with_exponential_backoff_and_jitter_waited_on_the_clock_up_to_the_ceiling()
    {
        var outcomes = new Queue<DiodeRunOutcome>([.. Enumerable.Repeat(Crashed, 12), Stable]);
        var starts = new List<DateTimeOffset>();
        var waited = new List<TimeSpan>();
        var running = _policy.RunAsync(_ => { starts.Add(_time.GetUtcNow()); return Task.FromResult(outcomes.Dequeue()); }, CancellationToken.None);

        for (int i = 0; i < 12; i++)
        {
            // The timer runs in whole milliseconds.
            var due = await _time.NextTimerAsync();
            Assert.InRange(_policy.RestartDelays[i] - due, TimeSpan.Zero, TimeSpan.FromMilliseconds(1));
            waited.Add(due);
            _time.Advance(due - TimeSpan.FromTicks(1));
            Assert.Equal(i + 1, starts.Count);
            _time.Advance(TimeSpan.FromTicks(1));
            await WaitAsync(() => starts.Count == i + 2 || running.IsCompleted);
        }

        Assert.Same(Stable, await running.WaitAsync(Bound));
        Assert.Equal(13, starts.Count);
        Assert.Equal(starts.Zip(starts.Skip(1), (a, b) => b - a), waited);
        Assert.All(_policy.RestartDelays, d => Assert.InRange(d, TimeSpan.FromTicks(1), Options.RestartCeiling));
        Assert.Contains(Options.RestartCeiling, _policy.RestartDelays);
        Assert.NotEqual(new[] { TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(8) }, _policy.RestartDelays.Take(4));
        Assert.Equal(12, _counted[^1].Restarts);
        Assert.Equal(new Dictionary<string, long> { ["crashed"] = 12 }, _counted[^1].By);
        Assert.Equal($"diode: client {Crashed.Reason}; restarting in {_policy.RestartDelays[0].TotalSeconds:F1} s", _log[0]);
    }

    [Fact]
    public async Task A_client_that_refused_its_command_line_is_tried_again_only_every_ten_minutes()
    {
        var misconfigured = new DiodeRunOutcome(DiodeRunEnd.Misconfigured, 0, TimeSpan.FromMilliseconds(40), false, "the client exited 0 without starting after 0.0 s: it refused its command line");
        var outcomes = new Queue<DiodeRunOutcome>([misconfigured, misconfigured, Stable]);
        var running = _policy.RunAsync(_ => Task.FromResult(outcomes.Dequeue()), CancellationToken.None);

        for (int i = 0; i < 2; i++)
        {
            Assert.Equal(TimeSpan.FromMinutes(10), await _time.NextTimerAsync());
            _time.Advance(TimeSpan.FromMinutes(10));
        }

        Assert.Same(Stable, await running.WaitAsync(Bound));
        Assert.Equal([TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(10)], _policy.RestartDelays);
        Assert.Equal(new Dictionary<string, long> { ["misconfigured"] = 2 }, _counted[^1].By);
        Assert.Equal($"diode: configuration error: {misconfigured.Reason}; trying again in 10m", _log[0]);
    }

    [Fact]
    public async Task The_agent_stopping_ends_the_runs_at_once_and_counts_no_restart()
    {
        var stopping = new DiodeRunOutcome(DiodeRunEnd.Stopping, 0, TimeSpan.FromMinutes(1), false, "stopping");

        Assert.Same(stopping, await _policy.RunAsync(_ => Task.FromResult(stopping), CancellationToken.None));
        Assert.False(_time.HasNewTimer);
        Assert.Empty(_counted);
        Assert.Empty(_log);
    }

    [Fact]
    public async Task A_stable_run_ends_the_backoff_and_the_next_start_waits_only_the_first_delay()
    {
        Assert.Same(Stable, await _policy.RunAsync(_ => Task.FromResult(Stable), CancellationToken.None));
        Assert.Empty(_counted);

        var waiting = _policy.AfterStableRunAsync(Stable, CancellationToken.None);
        Assert.Equal(Options.RestartDelay, await _time.NextTimerAsync());
        Assert.False(waiting.IsCompleted);
        _time.Advance(Options.RestartDelay);
        await waiting.WaitAsync(Bound);

        Assert.Equal([Options.RestartDelay], _policy.RestartDelays);
        Assert.Equal(1, _counted[^1].Restarts);
        Assert.Equal("diode: client exited with code 2 after 360.0 s; restarting in 1.0 s", _log[0]);
    }

    [Fact]
    public async Task The_agent_stopping_during_a_backoff_wait_ends_it_without_another_start()
    {
        using var stopping = new CancellationTokenSource();
        int starts = 0;
        var running = _policy.RunAsync(_ => { starts++; return Task.FromResult(Crashed); }, stopping.Token);
        await _time.NextTimerAsync();

        await stopping.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running.WaitAsync(Bound));
        Assert.Equal(1, starts);
    }

    [Fact]
    public void Restarts_are_counted_by_cause()
    {
        foreach (var end in new[] { DiodeRunEnd.Crashed, DiodeRunEnd.Offline, DiodeRunEnd.Offline, DiodeRunEnd.NotValidated, DiodeRunEnd.Unreachable, DiodeRunEnd.Unresponsive, DiodeRunEnd.Misconfigured })
        {
            _policy.Restarted(new DiodeRunOutcome(end, null, TimeSpan.Zero, false, end.ToString()), TimeSpan.FromSeconds(1));
        }

        Assert.Equal(7, _counted[^1].Restarts);
        Assert.Equal(
            new Dictionary<string, long> { ["crashed"] = 1, ["offline"] = 2, ["notValidated"] = 1, ["unreachable"] = 1, ["unresponsive"] = 1, ["misconfigured"] = 1 },
            _counted[^1].By);
    }

    [Fact]
    public void A_client_that_crashes_for_ever_leaves_only_the_last_restart_delays_in_memory()
    {
        var crashed = new DiodeRunOutcome(DiodeRunEnd.Crashed, 2, TimeSpan.FromSeconds(45), false, "exited with code 2 after 45.0 s");
        int restarts = DiodeRestartPolicy.RestartDelaysKept * 8;
        for (int i = 0; i < restarts; i++)
        {
            _policy.Restarted(crashed, TimeSpan.FromMilliseconds(i));
        }

        Assert.Equal(restarts, _counted[^1].Restarts);
        Assert.Equal(restarts, _counted[^1].By["crashed"]);
        Assert.Equal(Enumerable.Range(restarts - DiodeRestartPolicy.RestartDelaysKept, DiodeRestartPolicy.RestartDelaysKept).Select(i => TimeSpan.FromMilliseconds(i)), _policy.RestartDelays);
    }

    [Fact]
    public void Blockquick_downgrade_comes_after_that_many_starts_in_a_row_that_never_validated()
    {
        for (int i = 0; i < Options.BlockQuickDowngradeAfter; i++)
        {
            Assert.False(_policy.DowngradeNextStart);
            _policy.RunEnded(validated: false, DiodeRunEnd.NotValidated);
        }

        Assert.True(_policy.DowngradeNextStart);
        Assert.Equal(3, _policy.StartsWithoutValidation);

        _policy.RunEnded(validated: true, DiodeRunEnd.Unreachable);
        Assert.False(_policy.DowngradeNextStart);
        Assert.Equal(0, _policy.StartsWithoutValidation);
    }

    [Theory]
    [InlineData(nameof(DiodeRunEnd.Offline))]
    [InlineData(nameof(DiodeRunEnd.Crashed))]
    [InlineData(null)]
    public void Runs_that_ended_otherwise_without_validating_neither_count_towards_the_downgrade_nor_reset_it(string? endName)
    {
        DiodeRunEnd? end = endName is null ? null : Enum.Parse<DiodeRunEnd>(endName);
        _policy.RunEnded(validated: false, DiodeRunEnd.NotValidated);
        _policy.RunEnded(validated: false, DiodeRunEnd.NotValidated);

        _policy.RunEnded(validated: false, end);

        Assert.Equal(2, _policy.StartsWithoutValidation);
    }

    private static async Task WaitAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not reached within 10 s");
            await Task.Delay(1);
        }
    }

    private sealed class ListLogger(List<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (lines)
            {
                lines.Add(formatter(state, exception));
            }
        }
    }
}

using Diode.Edge.Agent.Diode;
using Diode.Edge.Tests.Support;

namespace Diode.Edge.Tests.DiodeClient;

/// <summary>
/// From the client's lines to its state, pure: whole runs of the real client's output (tests/golden/diode, in the
/// format docs/diode-client.md documents, as the stand-in prints it) replayed line by line through the parser, the run
/// observer and the mapper, with the time passed in, as the supervisor does on each line.
/// </summary>
[Trait("Tier", Tiers.Unit)]
public sealed class DiodeStatusMapperTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 7, 6, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(100);
    private static readonly DiodeStatus Started = new(DiodeState.Starting, "started /usr/local/bin/diode", "/usr/local/bin/diode", null, null, null, null, 4242, 0, null, Start, Start);
    private const string Fleet = "0x6000000000000000000000000000000000000000";

    private sealed record Replayed(DiodeRunObserver Run, DiodeStatus Status, List<DiodeState> States, DateTimeOffset End);

    private static string[] Golden(string name) =>
        File.ReadAllText(Path.Combine(RepoRoot.Path, "tests", "golden", "diode", name + ".log")).Split('\n', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Each line <see cref="Step"/> after the one before, the status mapped after each, as the supervisor does.</summary>
    private static Replayed Replay(string name, string? configuredFleet = null, string? sharedAddress = null)
    {
        var run = new DiodeRunObserver(Start);
        var status = Started;
        var states = new List<DiodeState> { status.State };
        var at = Start;
        foreach (string line in Golden(name))
        {
            at += Step;
            run.Apply(DiodeLogParser.Parse(line), line, at);
            status = DiodeStatusMapper.Running(status, run, DiodeApiState.Unknown, configuredFleet, sharedAddress, at);
            if (states[^1] != status.State)
            {
                states.Add(status.State);
            }
        }

        return new Replayed(run, status, states, at);
    }

    [Fact]
    public void A_healthy_run_goes_from_starting_through_connecting_and_validated_to_published_and_stops_cleanly()
    {
        var r = Replay("healthy");

        Assert.Equal([DiodeState.Starting, DiodeState.Connecting, DiodeState.Validated, DiodeState.Published], r.States);
        Assert.Equal(DiodeState.Published, r.Status.State);
        Assert.Equal("network validated at block 8987079, published 127.0.0.1:8081 80 protected any", r.Status.Detail);
        Assert.Equal("v1.18.8 16 Jul 2026", r.Status.Version);
        Assert.Equal(Fleet, r.Status.Fleet);
        Assert.StartsWith("0x", r.Status.ClientAddress, StringComparison.Ordinal);
        Assert.Equal(5, r.Status.RelaysConnected);
        Assert.Equal(5, r.Status.RelayPool);
        Assert.Equal("8987079", r.Status.ValidatedBlock);
        Assert.NotNull(r.Status.Node);
        Assert.Null(r.Status.FailingSince);
        Assert.Null(r.Status.Mismatch);
        Assert.Equal("not asked yet", r.Status.Api);
        Assert.Equal(4242, r.Status.Pid);
        Assert.Equal(4, r.Run.StopStep);
        Assert.StartsWith("diode: connected (5/5 relays, validated 06:00Z)", r.Status.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void While_starting_the_detail_stays_what_the_supervisor_said()
    {
        var run = new DiodeRunObserver(Start);
        string line = Golden("healthy")[0];
        Assert.Equal(DiodeState.Starting, DiodeStatusMapper.Running(Started, run, DiodeApiState.Unknown, null, null, Start).State);
        Assert.Equal("started /usr/local/bin/diode", DiodeStatusMapper.Running(Started, run, DiodeApiState.Unknown, null, null, Start).Detail);

        run.Apply(DiodeLogParser.Parse(line), line, Start);
        var connecting = DiodeStatusMapper.Running(Started, run, DiodeApiState.Unknown, null, null, Start);
        Assert.Equal(DiodeState.Connecting, connecting.State);
        Assert.Equal("connecting to the Diode network", connecting.Detail);
        Assert.Equal(Start, connecting.FailingSince);
    }

    [Fact]
    public void Without_debug_the_relays_are_an_estimate_the_whole_pool_once_validated()
    {
        var r = Replay("healthy-without-debug");

        Assert.Equal(DiodeState.Published, r.Status.State);
        Assert.False(r.Run.ExactRelays);
        Assert.Equal(5, r.Status.RelaysConnected);
        Assert.Null(r.Status.Node);
    }

    [Fact]
    public void Relays_that_drop_and_heal_keep_it_published_and_count_down_only_within_the_heal_window()
    {
        var r = Replay("churn");

        Assert.DoesNotContain(DiodeState.Disconnected, r.States);
        Assert.Equal(DiodeState.Published, r.Status.State);
        Assert.Equal(3, r.Status.RelaysConnected);
        var later = DiodeStatusMapper.Running(r.Status, r.Run, DiodeApiState.Unknown, null, null, r.End + DiodeRunObserver.RelayHealWindow);
        Assert.Equal(5, later.RelaysConnected);
    }

    [Fact]
    public void Every_relay_failing_before_validation_is_offline()
    {
        var r = Replay("offline");

        Assert.Equal([DiodeState.Starting, DiodeState.Connecting, DiodeState.Offline], r.States);
        Assert.Equal("no Diode relay reachable (5 failed); the client retries", r.Status.Detail);
        Assert.Equal(0, r.Status.RelaysConnected);
        Assert.Equal(Start, r.Status.FailingSince);
        Assert.Null(r.Status.ValidatedAt);
    }

    [Fact]
    public void The_whole_pool_lost_after_publishing_is_disconnected()
    {
        var r = Replay("drop-all");

        Assert.Equal(DiodeState.Disconnected, r.Status.State);
        Assert.Equal("all 5 relays lost or failing; the client reconnects", r.Status.Detail);
        Assert.Equal(0, r.Status.RelaysConnected);
        Assert.NotNull(r.Status.FailingSince);
        Assert.Contains(DiodeState.Published, r.States);
    }

    [Fact]
    public void Port_was_not_published_is_disconnected_until_a_consumer_comes_through()
    {
        var r = Replay("not-published");

        Assert.Equal(DiodeState.Disconnected, r.Status.State);
        Assert.Equal("the network says the port was not published (INFO Port was not published port = 80 server=as1.prenet.diode.io:41046)", r.Status.Detail);

        r.Run.ObserveReachable(r.End + Step);
        var reached = DiodeStatusMapper.Running(r.Status, r.Run, DiodeApiState.Unknown, null, null, r.End + Step);
        Assert.Equal(DiodeState.Published, reached.State);
        Assert.Equal(r.End + Step, reached.ReachableAt);
        Assert.Null(reached.FailingSince);
    }

    [Fact]
    public void A_client_that_dies_of_an_error_is_crashed_with_the_error_it_printed()
    {
        var r = Replay("crash");
        var outcome = DiodeRunOutcome.Of(null, null, 2, TimeSpan.FromSeconds(0.3), r.Run, TimeSpan.FromMinutes(5));
        var ended = DiodeStatusMapper.Ended(r.Status, outcome, r.End);

        Assert.Equal(DiodeRunEnd.Crashed, outcome.End);
        Assert.False(outcome.Stable);
        Assert.Equal("exited with code 2 after 0.3 s (Couldn't execute command: call to dead genserver)", outcome.Reason);
        Assert.Equal(DiodeState.Crashed, ended.State);
        Assert.Equal(outcome.Reason, ended.Detail);
        Assert.Null(ended.Pid);
        Assert.Equal(2, ended.LastExitCode);
        Assert.Equal(r.End, ended.FailingSince);
    }

    [Fact]
    public void A_crash_after_a_long_run_is_stable_and_starts_the_backoff_again()
    {
        var r = Replay("crash");

        Assert.True(DiodeRunOutcome.Of(null, null, 2, TimeSpan.FromMinutes(5), r.Run, TimeSpan.FromMinutes(5)).Stable);
    }

    [Fact]
    public void A_client_that_refused_its_command_line_is_misconfigured()
    {
        var r = Replay("refused-flag");
        var outcome = DiodeRunOutcome.Of(null, null, 0, TimeSpan.FromMilliseconds(40), r.Run, TimeSpan.FromMinutes(5));
        var ended = DiodeStatusMapper.Ended(r.Status, outcome, r.End);

        Assert.Equal([DiodeState.Starting], r.States);
        Assert.Equal(DiodeRunEnd.Misconfigured, outcome.End);
        Assert.Equal("the client exited 0 without starting after 0.0 s: it refused its command line (a flag error prints the usage); check diode.extraArgs and the client version", outcome.Reason);
        Assert.Equal(DiodeState.Misconfigured, ended.State);
        Assert.Equal("diode: configuration error", ended.Summary);
    }

    [Theory]
    [InlineData(nameof(DiodeRunEnd.Offline), nameof(DiodeState.Offline))]
    [InlineData(nameof(DiodeRunEnd.NotValidated), nameof(DiodeState.Disconnected))]
    [InlineData(nameof(DiodeRunEnd.Unreachable), nameof(DiodeState.Disconnected))]
    [InlineData(nameof(DiodeRunEnd.Unresponsive), nameof(DiodeState.Disconnected))]
    public void A_run_the_liveness_policy_ended_keeps_its_reason(string endName, string stateName)
    {
        var r = Replay("drop-all");
        var end = Enum.Parse<DiodeRunEnd>(endName);
        var outcome = DiodeRunOutcome.Of(end, "no relay connected for 2m (5 of 5 lost or failing)", 0, TimeSpan.FromMinutes(3), r.Run, TimeSpan.FromMinutes(5));
        var ended = DiodeStatusMapper.Ended(r.Status, outcome, r.End);

        Assert.Equal(end, outcome.End);
        Assert.False(outcome.Stable);
        Assert.Equal(Enum.Parse<DiodeState>(stateName), ended.State);
        Assert.Equal("no relay connected for 2m (5 of 5 lost or failing)", ended.Detail);
        Assert.Null(ended.Pid);
        Assert.Equal(0, ended.LastExitCode);
    }

    [Fact]
    public void Stopping_keeps_the_state_and_clears_the_pid()
    {
        var r = Replay("healthy");
        var outcome = DiodeRunOutcome.Of(DiodeRunEnd.Stopping, "stopping", 0, TimeSpan.FromMinutes(3), r.Run, TimeSpan.FromMinutes(5));
        var ended = DiodeStatusMapper.Ended(r.Status, outcome, r.End);

        Assert.Equal("stopping", outcome.Reason);
        Assert.Equal(DiodeState.Published, ended.State);
        Assert.Equal(r.Status.Detail, ended.Detail);
        Assert.Null(ended.Pid);
        Assert.Equal(0, ended.LastExitCode);
    }

    [Fact]
    public void The_config_api_answers_override_the_lines_and_say_when()
    {
        var r = Replay("healthy");
        var api = new DiodeApiState(Start.AddSeconds(5), null, "0x1111111111111111111111111111111111111111", Fleet, "v1.18.9");
        var status = DiodeStatusMapper.Running(r.Status, r.Run, api, null, null, r.End);

        Assert.Equal("answering (06:00:05Z)", status.Api);
        Assert.Equal("0x1111111111111111111111111111111111111111", status.ClientAddress);
        Assert.Equal("v1.18.9", status.Version);
        Assert.Equal("not answering since 06:01:00Z", DiodeStatusMapper.Running(r.Status, r.Run, new DiodeApiState(null, Start.AddMinutes(1), null, null, null), null, null, r.End).Api);
    }

    [Fact]
    public void A_client_in_another_fleet_than_configured_is_a_mismatch_in_the_detail_and_the_summary()
    {
        var r = Replay("healthy", configuredFleet: "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed");

        Assert.Equal(DiodeState.Published, r.Status.State);
        Assert.Equal($"the client runs in fleet {Fleet}, not diode.fleet 0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", r.Status.Mismatch);
        Assert.Equal(r.Status.Mismatch, r.Status.Detail);
        Assert.Equal($"diode: mismatch ({r.Status.Mismatch})", r.Status.Summary);
    }

    [Theory]
    [InlineData("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed", null, "0x1111111111111111111111111111111111111111", null)]
    [InlineData("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "0x6000000000000000000000000000000000000000", null, null, "the client runs in fleet 0x6000000000000000000000000000000000000000, not diode.fleet 0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed")]
    [InlineData(null, "0x6000000000000000000000000000000000000000", "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359", "0xfb6916095ca1df60bb79ce92ce3ea74c37c5d359", null)]
    [InlineData(null, null, "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359", "0x1111111111111111111111111111111111111111", "the client's address 0x1111111111111111111111111111111111111111 is not the device key's 0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359 (identity.shareWithDiode)")]
    public void A_client_in_another_fleet_or_with_another_address_than_the_shared_key_is_a_mismatch(string? configured, string? reported, string? shared, string? client, string? expected)
    {
        Assert.Equal(expected, DiodeStatusMapper.Mismatch(configured, reported, shared, client));
    }
}

using Diode.Edge.Agent.Configuration;
using Diode.Edge.Agent.Diode;
using Diode.Edge.Tests.Support;

namespace Diode.Edge.Tests.DiodeClient;

/// <summary>When a running client is restarted, decided from its real lines and its config API, with the time passed in.</summary>
[Trait("Tier", Tiers.Unit)]
public sealed class DiodeLivenessPolicyTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 2, 6, 0, 0, TimeSpan.Zero);
    private static readonly DiodeOptions Options = new() { RevalidateTimeout = TimeSpan.FromMinutes(2) };
    private static readonly string[] Relays = ["us1", "us2", "eu1", "eu2", "as1"];

    private static DiodeRunObserver Validated()
    {
        var run = new DiodeRunObserver(Start);
        Feed(run, Start.AddSeconds(1), "\u001b[34mINFO\u001b[0m Diode Client version : v1.18.8 16 Jul 2026");
        Feed(run, Start.AddSeconds(2), "\u001b[34mINFO\u001b[0m Network is validated, last valid block: 7654321 0xabc");
        Feed(run, Start.AddSeconds(2), "\u001b[34mINFO\u001b[0m Port localhost:8081  :       80   protected       any");
        return run;
    }

    private static void Feed(DiodeRunObserver run, DateTimeOffset at, string line) => run.Apply(DiodeLogParser.Parse(line), line, at);

    private static string Eof(string relay) => $"\u001b[34mINFO\u001b[0m Client connection closed unexpectedly: EOF server={relay}.prenet.diode.io:41046";

    private static DiodeApiState Answering(DateTimeOffset at) => new(at, null, null, null, null);

    [Fact]
    public void One_relay_that_drops_is_healed_by_the_pool_and_restarts_nothing()
    {
        var run = Validated();
        Feed(run, Start.AddSeconds(10), Eof("us1"));

        for (int s = 11; s < 3600; s += 30)
        {
            Assert.Null(DiodeLivenessPolicy.Decide(run, Answering(Start.AddSeconds(s)), Options, Start.AddSeconds(s)));
        }

        Assert.Equal(4, run.RelaysUp(Start.AddSeconds(20)));
        Assert.Equal(5, run.RelaysUp(Start.AddSeconds(10 + 91)));
    }

    [Fact]
    public void Every_relay_of_the_pool_lost_and_failing_for_the_window_is_unreachable()
    {
        var run = Validated();
        foreach (string relay in Relays)
        {
            Feed(run, Start.AddSeconds(10), Eof(relay));
            Feed(run, Start.AddSeconds(15), $"\u001b[33mWARN\u001b[0m Client connect failed: dial tcp: i/o timeout server={relay}.prenet.diode.io:41046");
        }

        Assert.Null(DiodeLivenessPolicy.Decide(run, Answering(Start.AddSeconds(130)), Options, Start.AddSeconds(130)));
        var decision = DiodeLivenessPolicy.Decide(run, Answering(Start.AddSeconds(136)), Options, Start.AddSeconds(136));
        Assert.Equal(DiodeRunEnd.Unreachable, decision?.End);
        Assert.Equal("no relay connected for 2m (5 of 5 lost or failing)", decision?.Reason);
    }

    [Fact]
    public void A_consumer_forwarded_by_the_client_ends_every_doubt()
    {
        var run = Validated();
        foreach (string relay in Relays)
        {
            Feed(run, Start.AddSeconds(10), Eof(relay));
        }

        run.ObserveReachable(Start.AddSeconds(60));

        Assert.Null(DiodeLivenessPolicy.Decide(run, Answering(Start.AddSeconds(200)), Options, Start.AddSeconds(200)));
        Assert.Equal(5, run.RelaysUp(Start.AddSeconds(61)));
    }

    [Fact]
    public void A_client_whose_config_api_stops_answering_after_publishing_is_restarted()
    {
        var run = Validated();
        var silent = new DiodeApiState(Start.AddSeconds(5), Start.AddSeconds(20), null, null, null);

        Assert.Null(DiodeLivenessPolicy.Decide(run, silent, Options, Start.AddSeconds(139)));
        Assert.Equal(DiodeRunEnd.Unresponsive, DiodeLivenessPolicy.Decide(run, silent, Options, Start.AddSeconds(141))?.End);
    }

    [Fact]
    public void Port_not_published_restarts_only_when_no_consumer_came_through_for_the_window()
    {
        var run = Validated();
        Feed(run, Start.AddSeconds(30), "\u001b[34mINFO\u001b[0m Port was not published port = 80 server=us1.prenet.diode.io:41046");
        Assert.Null(DiodeLivenessPolicy.Decide(run, Answering(Start.AddSeconds(100)), Options, Start.AddSeconds(100)));
        Assert.Equal(DiodeRunEnd.Unreachable, DiodeLivenessPolicy.Decide(run, Answering(Start.AddSeconds(151)), Options, Start.AddSeconds(151))?.End);

        var healed = Validated();
        Feed(healed, Start.AddSeconds(30), "\u001b[34mINFO\u001b[0m Port was not published port = 80 server=us1.prenet.diode.io:41046");
        healed.ObserveReachable(Start.AddSeconds(40));
        Assert.Null(DiodeLivenessPolicy.Decide(healed, Answering(Start.AddSeconds(151)), Options, Start.AddSeconds(151)));
    }

    [Fact]
    public void A_start_that_never_validates_is_offline_when_every_relay_failed_and_not_validated_when_none_did()
    {
        var offline = new DiodeRunObserver(Start);
        Feed(offline, Start.AddSeconds(1), "\u001b[34mINFO\u001b[0m Diode Client version : v1.18.8 16 Jul 2026");
        foreach (string relay in Relays)
        {
            Feed(offline, Start.AddSeconds(2), $"\u001b[33mWARN\u001b[0m Client connect failed: dial tcp: lookup {relay}.prenet.diode.io: no such host server={relay}.prenet.diode.io:41046");
        }

        Assert.Null(DiodeLivenessPolicy.Decide(offline, DiodeApiState.Unknown, Options, Start.AddSeconds(119)));
        Assert.Equal(DiodeRunEnd.Offline, DiodeLivenessPolicy.Decide(offline, DiodeApiState.Unknown, Options, Start.AddSeconds(121))?.End);

        // v1.18.8 retries a stale BlockQuick window silently (no line at all): connected relays, never validated.
        var stale = new DiodeRunObserver(Start);
        Feed(stale, Start.AddSeconds(1), "\u001b[34mINFO\u001b[0m Diode Client version : v1.18.8 16 Jul 2026");
        Assert.Equal(DiodeRunEnd.NotValidated, DiodeLivenessPolicy.Decide(stale, Answering(Start.AddSeconds(121)), Options, Start.AddSeconds(121))?.End);
    }

    [Fact]
    public void With_the_clients_debug_lines_relays_are_counted_exactly()
    {
        var run = new DiodeRunObserver(Start);
        string Added(string relay) => $"\u001b[35mDEBUG\u001b[0m Added relay#0 [0x937c492a77ae90de971986d003ffbc5f8bb2232c] @ diode://0x937c492a77ae90de971986d003ffbc5f8bb2232c@{relay}.prenet.diode.io:41046";
        foreach (string relay in Relays)
        {
            Feed(run, Start.AddSeconds(1), Added(relay));
        }

        Feed(run, Start.AddSeconds(2), "\u001b[34mINFO\u001b[0m Network is validated, last valid block: 7654321 0xabc");
        Assert.True(run.ExactRelays);
        Assert.Equal(5, run.RelaysUp(Start.AddSeconds(3)));

        // One drops and the pool replaces it with another host: still five.
        Feed(run, Start.AddSeconds(10), Eof("us1"));
        Assert.Equal(4, run.RelaysUp(Start.AddSeconds(10)));
        Feed(run, Start.AddSeconds(11), Added("as2"));
        Assert.Equal(5, run.RelaysUp(Start.AddSeconds(11)));
        Assert.Null(DiodeLivenessPolicy.Decide(run, Answering(Start.AddSeconds(300)), Options, Start.AddSeconds(300)));

        foreach (string relay in Relays.Skip(1).Append("as2"))
        {
            Feed(run, Start.AddSeconds(400), Eof(relay));
        }

        Assert.Equal(0, run.RelaysUp(Start.AddSeconds(400)));
        Assert.Null(DiodeLivenessPolicy.Decide(run, Answering(Start.AddSeconds(519)), Options, Start.AddSeconds(519)));
        Assert.Equal(DiodeRunEnd.Unreachable, DiodeLivenessPolicy.Decide(run, Answering(Start.AddSeconds(521)), Options, Start.AddSeconds(521))?.End);
    }

    [Fact]
    public void Validation_counts_once_and_the_observer_keeps_a_bounded_relay_table()
    {
        var run = Validated();
        Feed(run, Start.AddSeconds(50), "\u001b[34mINFO\u001b[0m Network is validated, last valid block: 7654400 0xdef");
        Assert.Equal(Start.AddSeconds(2), run.ValidatedAt);
        for (int i = 0; i < 1000; i++)
        {
            Feed(run, Start.AddSeconds(60), Eof("relay" + i));
        }

        Assert.Equal(DiodeRunObserver.MaxRelays, run.Relays.Count);
    }
}

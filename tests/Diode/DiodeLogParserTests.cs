using Diode.Edge.Agent.Diode;
using Diode.Edge.Tests.Support;

namespace Diode.Edge.Tests.DiodeClient;

/// <summary>
/// The real client's lines (diodechain/diode_client v1.18.8, consoleraw encoder: <c>LEVEL message k=v</c>, one space,
/// the level in ANSI colour; labels <c>%-20s : %-42s</c>), as docs/diode-client.md quotes them.
/// </summary>
[Trait("Tier", Tiers.Unit)]
public sealed class DiodeLogParserTests
{
    private const string Info = "\u001b[34mINFO\u001b[0m ";
    private const string Warn = "\u001b[33mWARN\u001b[0m ";
    private const string Error = "\u001b[31mERROR\u001b[0m ";
    private const string Debug = "\u001b[35mDEBUG\u001b[0m ";

    [Theory]
    [InlineData(Info + "Diode Client version : v1.18.8 16 Jul 2026                     ", nameof(DiodeLogKind.Version), "v1.18.8 16 Jul 2026", null)]
    [InlineData(Info + "Client address       : 0x8b8bf6e6d2fd6a44fe4bd6c1a52c9f5b80e3a2f4  ", nameof(DiodeLogKind.ClientAddress), "0x8b8bf6e6d2fd6a44fe4bd6c1a52c9f5b80e3a2f4", null)]
    [InlineData(Info + "Fleet address        : 0x6000000000000000000000000000000000000000  ", nameof(DiodeLogKind.FleetAddress), "0x6000000000000000000000000000000000000000", null)]
    [InlineData(Info + "Chain ID             : 15                                        ", nameof(DiodeLogKind.ChainId), "15", null)]
    [InlineData(Info + "Client name          : pi-greenhouse.diode                       ", nameof(DiodeLogKind.ClientName), "pi-greenhouse.diode", null)]
    [InlineData(Info + "Network is validated, last valid block: 7654321 0x00000000000abcde", nameof(DiodeLogKind.Validated), "7654321", null)]
    [InlineData(Info + "Port localhost:8080  :       80   protected       any", nameof(DiodeLogKind.PortPublished), "localhost:8080 80 protected any", null)]
    [InlineData(Info + "Port      <name>     : <extern>     <mode>    <protocol>     <allowlist>", nameof(DiodeLogKind.Other), null, null)]
    [InlineData(Info + "Client connection closed unexpectedly: EOF server=us1.prenet.diode.io:41046", nameof(DiodeLogKind.RelayLost), "Client connection closed unexpectedly: EOF server=us1.prenet.diode.io:41046", "us1.prenet.diode.io:41046")]
    [InlineData(Info + "Client connection closed prematurely. server=eu2.prenet.diode.io:41046", nameof(DiodeLogKind.RelayLost), "Client connection closed prematurely. server=eu2.prenet.diode.io:41046", "eu2.prenet.diode.io:41046")]
    [InlineData(Warn + "server disconnected, reason: shutdown server=as1.prenet.diode.io:41046", nameof(DiodeLogKind.RelayLost), "server disconnected, reason: shutdown server=as1.prenet.diode.io:41046", "as1.prenet.diode.io:41046")]
    [InlineData(Warn + "Client connect failed: dial tcp: lookup eu1.prenet.diode.io: no such host server=eu1.prenet.diode.io:41046", nameof(DiodeLogKind.RelayFailed), "Client connect failed: dial tcp: lookup eu1.prenet.diode.io: no such host server=eu1.prenet.diode.io:41046", "eu1.prenet.diode.io:41046")]
    [InlineData(Info + "Retry to connect (1/3), waiting 5s server=us2.prenet.diode.io:41046", nameof(DiodeLogKind.RelayFailed), "Retry to connect (1/3), waiting 5s server=us2.prenet.diode.io:41046", "us2.prenet.diode.io:41046")]
    [InlineData(Warn + "Client start failed: couldn't validate any new blocks 100 < 200 server=us1.prenet.diode.io:41046", nameof(DiodeLogKind.StaleBlockQuick), "Client start failed: couldn't validate any new blocks 100 < 200 server=us1.prenet.diode.io:41046", "us1.prenet.diode.io:41046")]
    [InlineData(Warn + "Reset blockquick window after 5 consecutive validation failures server=us1.prenet.diode.io:41046", nameof(DiodeLogKind.BlockQuickReset), "Reset blockquick window after 5 consecutive validation failures server=us1.prenet.diode.io:41046", null)]
    [InlineData(Info + "Port was not published port = 8081 server=us1.prenet.diode.io:41046", nameof(DiodeLogKind.PortNotPublished), "8081", "us1.prenet.diode.io:41046")]
    [InlineData(Debug + "Added relay#2 [0x937c492a77ae90de971986d003ffbc5f8bb2232c] @ eu1.prenet.diode.io:41046", nameof(DiodeLogKind.RelayAdded), "Added relay#2 [0x937c492a77ae90de971986d003ffbc5f8bb2232c] @ eu1.prenet.diode.io:41046", "eu1.prenet.diode.io:41046")]
    [InlineData(Error + "Couldn't execute command: call to dead genserver", nameof(DiodeLogKind.CommandError), "Couldn't execute command: call to dead genserver", null)]
    [InlineData(Info + "4/4 Stopping client manager", nameof(DiodeLogKind.StopStep), "4", null)]
    [InlineData(Info + "1/4 Stopping socksserver", nameof(DiodeLogKind.StopStep), "1", null)]
    [InlineData(Info + "HTTP Gateway Enabled : http://pi-greenhouse.diode.link/", nameof(DiodeLogKind.Other), null, null)]
    [InlineData("flag provided but not defined: -nosuchflag", nameof(DiodeLogKind.Other), null, null)]
    public void Real_client_lines_map_to_events(string line, string kindName, string? value, string? server)
    {
        var kind = Enum.Parse<DiodeLogKind>(kindName);
        var e = DiodeLogParser.Parse(line);

        Assert.Equal(kind, e.Kind);
        Assert.Equal(value, e.Value);
        Assert.Equal(server, e.Server);
    }

    [Fact]
    public void A_line_of_a_hundred_thousand_spaces_or_colons_parses_in_linear_time()
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        for (int i = 0; i < 10; i++)
        {
            Assert.Equal(DiodeLogKind.Other, DiodeLogParser.Parse(Info + new string(' ', 100_000)).Kind);
            Assert.Equal(DiodeLogKind.Other, DiodeLogParser.Parse(Info + string.Concat(Enumerable.Repeat("a : ", 25_000))).Kind);
        }

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"20 hostile lines took {watch.Elapsed.TotalMilliseconds:F0} ms");
    }
}

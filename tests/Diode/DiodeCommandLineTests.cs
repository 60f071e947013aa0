using Diode.Edge.Agent.Configuration;
using Diode.Edge.Agent.Diode;

namespace Diode.Edge.Tests.DiodeClient;

public sealed class DiodeCommandLineTests
{
    [Theory]
    [InlineData(DiodeMode.Public, "-update=false -no-daemon publish -public 8080:80")]
    [InlineData(DiodeMode.Protected, "-update=false -no-daemon publish -protected 8080:80")]
    [InlineData(DiodeMode.Private, "-update=false -no-daemon publish -private 8080:80,0x1111111111111111111111111111111111111111,0x2222222222222222222222222222222222222222")]
    public void Each_mode_gives_the_real_clients_exact_command_line(DiodeMode mode, string expected)
    {
        var options = new DiodeOptions { Mode = mode, Allow = ["0x1111111111111111111111111111111111111111", "0x2222222222222222222222222222222222222222"] };

        Assert.Equal(expected, string.Join(' ', DiodeCommandLine.Publish(options, 8080, supportsNoDaemon: true)));
    }

    [Fact]
    public void Global_flags_come_before_publish_and_each_port_is_a_rule()
    {
        var options = new DiodeOptions { Mode = DiodeMode.Protected, DbPath = "/var/lib/diode-edge/diode.db", ExtraArgs = ["-debug", "-retrytimes=5"], Ports = ["8080:80", "8081:8081"] };

        Assert.Equal(
            "-dbpath=/var/lib/diode-edge/diode.db -update=false -debug -retrytimes=5 publish -protected 8080:80 -protected 8081:8081",
            string.Join(' ', DiodeCommandLine.Publish(options, 8080, supportsNoDaemon: false)));
        Assert.Equal(
            "-dbpath=/var/lib/diode-edge/diode.db -update=false config -set fleet=0x6000000000000000000000000000000000000006",
            string.Join(' ', DiodeCommandLine.SetFleet(new DiodeOptions { DbPath = "/var/lib/diode-edge/diode.db", Fleet = "0x6000000000000000000000000000000000000006" })));
    }

    [Theory]
    [InlineData("[INFO] Diode Client version : v1.6.2", DiodeLogKind.Version, "v1.6.2")]
    [InlineData("2025/01/02 10:00:00 [INFO] Client address : 0x8b8bf6e6d2fd6a44fe4bd6c1a52c9f5b80e3a2f4", DiodeLogKind.ClientAddress, "0x8b8bf6e6d2fd6a44fe4bd6c1a52c9f5b80e3a2f4")]
    [InlineData("Fleet address : 0x6000000000000000000000000000000000000006", DiodeLogKind.FleetAddress, "0x6000000000000000000000000000000000000006")]
    [InlineData("[INFO] Network is validated, last valid block: 7654321 0xabcdef", DiodeLogKind.Validated, "7654321")]
    [InlineData("[ERROR] Could not connect to network trying again in 5 seconds", DiodeLogKind.ConnectFailed, null)]
    [InlineData("[INFO] Connected to host: us1.prenet.diode.io:41046", DiodeLogKind.Connected, "us1.prenet.diode.io:41046")]
    [InlineData("\u001b[34mINFO\u001b[0m\tPort         8080 :       80   protected       tcp        ", DiodeLogKind.PortPublished, "8080 80 protected tcp")]
    [InlineData("\u001b[34mINFO\u001b[0m\tPort      <name>     : <extern>     <mode>    <protocol>     <allowlist>", DiodeLogKind.Other, null)]
    [InlineData("\u001b[34mINFO\u001b[0m\tClient address       : 0x8b8bf6e6d2fd6a44fe4bd6c1a52c9f5b80e3a2f4  ", DiodeLogKind.ClientAddress, "0x8b8bf6e6d2fd6a44fe4bd6c1a52c9f5b80e3a2f4")]
    [InlineData("2026-11-24 10:00:00.123 \u001b[34mINFO\u001b[0m\tNetwork is validated, last valid block: 7654321 0xabcdef", DiodeLogKind.Validated, "7654321")]
    [InlineData("Couldn't execute command: unknown flag", DiodeLogKind.CommandError, "Couldn't execute command: unknown flag")]
    [InlineData("[INFO] HTTP Gateway Enabled", DiodeLogKind.Other, null)]
    public void Real_client_log_lines_map_to_events(string line, DiodeLogKind kind, string? value)
    {
        var e = DiodeLogParser.Parse(line);

        Assert.Equal(kind, e.Kind);
        Assert.Equal(value, e.Value);
    }
}

using Diode.Edge.Agent.Configuration;
using Diode.Edge.Agent.Diode;
using Diode.Edge.Tests.Support;

namespace Diode.Edge.Tests.DiodeClient;

/// <summary>The client's command lines, as its source parses them (global flags before the subcommand, bools as <c>=false</c>).</summary>
[Trait("Tier", Tiers.Unit)]
public sealed class DiodeCommandLineTests
{
    private const string Fleet = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed";

    [Theory]
    [InlineData(nameof(DiodeMode.Public), "-update=false -api -apiaddr=127.0.0.1:41001 -debug publish -public 127.0.0.1:8081:80")]
    [InlineData(nameof(DiodeMode.Protected), "-update=false -api -apiaddr=127.0.0.1:41001 -fleet=" + Fleet + " -debug publish -protected 127.0.0.1:8081:80")]
    [InlineData(nameof(DiodeMode.Private), "-update=false -api -apiaddr=127.0.0.1:41001 -fleet=" + Fleet + " -debug publish -private 127.0.0.1:8081:80,0x1111111111111111111111111111111111111111,0x2222222222222222222222222222222222222222")]
    public void Each_mode_gives_the_real_clients_exact_command_line(string modeName, string expected)
    {
        var mode = Enum.Parse<DiodeMode>(modeName);
        var options = new DiodeOptions { Mode = mode, Fleet = mode == DiodeMode.Public ? null : Fleet, Allow = ["0x1111111111111111111111111111111111111111", "0x2222222222222222222222222222222222222222"] };

        Assert.Equal(expected, string.Join(' ', DiodeCommandLine.Publish(options, new DiodeLaunch(8081, "127.0.0.1:41001", FleetFlag: true, BlockQuickDowngrade: false))));
    }

    [Fact]
    public void Global_flags_come_before_publish_and_each_port_is_a_rule()
    {
        var options = new DiodeOptions { Mode = DiodeMode.Protected, Fleet = Fleet, DbPath = "/var/lib/diode-edge/diode/private.db", ExtraArgs = ["-debug", "-retrytimes=5"], Ports = ["8080:80", "8081:8081"] };

        string publish = string.Join(' ', DiodeCommandLine.Publish(options, new DiodeLaunch(8081, "127.0.0.1:41001", FleetFlag: false, BlockQuickDowngrade: true)));

        Assert.Equal("-dbpath=/var/lib/diode-edge/diode/private.db -update=false -api -apiaddr=127.0.0.1:41001 -bqdowngrade -debug -retrytimes=5 publish -protected 8080:80 -protected 8081:8081", publish);
        Assert.Equal(
            "-dbpath=/var/lib/diode-edge/diode/private.db -update=false config -set fleet=" + Fleet,
            string.Join(' ', DiodeCommandLine.SetFleet(options)));
        Assert.Equal("-dbpath=/other.db -update=false version", string.Join(' ', DiodeCommandLine.Version(options, "/other.db")));
        Assert.Equal("-update=false version", string.Join(' ', DiodeCommandLine.Version(new DiodeOptions())));
    }

    [Theory]
    [InlineData("v1.18.8 16 Jul 2026", "1.18.8")]
    [InlineData("v1.17.6-3-gabcdef", "1.17.6")]
    [InlineData("1.18.4", "1.18.4")]
    [InlineData("dev", null)]
    public void Client_versions_compare_as_versions(string text, string? expected)
    {
        Assert.Equal(expected is null ? null : Version.Parse(expected), DiodeCommandLine.ParseVersion(text));
    }
}

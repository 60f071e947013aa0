using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Diode.Edge.Agent;
using Diode.Edge.Agent.Fleet.Status;
using Diode.Edge.Tests.Support;
using Xunit.Abstractions;
using static Diode.Edge.Tests.Fleet.FleetAgents;

namespace Diode.Edge.Tests.Fleet;

/// <summary>The fleet status collector in-process: a device listed by address must sign that address, and the device list's grammar.</summary>
[Trait("Tier", Tiers.Unit)]
public sealed class FleetStatusCollectorTests
{
    [Fact]
    public async Task A_device_listed_by_address_must_sign_that_address()
    {
        await using var stubs = await StubFleetServer.StartAsync(StubDeviceFault.None, StubDeviceFault.None);
        using var collector = new FleetStatusCollector(4, TimeSpan.FromSeconds(5), TimeProvider.System);
        string own = stubs.Devices[0].Key.Address;
        var right = await collector.CollectOneAsync(new FleetDeviceTarget(own, new Uri(stubs.Url(0)), own.ToLowerInvariant()), CancellationToken.None);
        Assert.Equal((FleetRowStates.Ok, own), (right.State, right.Address));

        // Another device answering at the listed address's name is not the device listed.
        var wrong = await collector.CollectOneAsync(new FleetDeviceTarget(own, new Uri(stubs.Url(1)), own), CancellationToken.None);
        Assert.Equal((FleetRowStates.Unverified, (string?)null), (wrong.State, wrong.Address));
        Assert.Contains($"listed as {own}", Assert.Single(wrong.Problems), StringComparison.Ordinal);
    }

    [Fact]
    public void The_device_list_takes_urls_addresses_and_files_and_names_a_bad_entry()
    {
        string address = "0x" + new string('a', 40);
        var files = new Dictionary<string, string> { ["fleet.txt"] = "# greenhouse\nhttp://10.0.0.2:8080  # the barn\n\n" + address.ToUpperInvariant().Replace("0X", "0x", StringComparison.Ordinal) + "\n" };
        var targets = FleetDeviceList.Parse($"http://127.0.0.1:8080, @fleet.txt,{address}", name => files[name]);
        Assert.Equal(["http://127.0.0.1:8080/", "http://10.0.0.2:8080/", $"http://{address}.diode.link/"], targets.Select(t => t.Url.AbsoluteUri));
        Assert.Equal([null, null, address.ToUpperInvariant().Replace("0X", "0x", StringComparison.Ordinal)], targets.Select(t => t.ExpectedAddress));

        files["bad.txt"] = "http://ok:1\nftp://nope\n";
        var error = Assert.Throws<FormatException>(() => FleetDeviceList.Parse("@bad.txt", name => files[name]));
        Assert.StartsWith("bad.txt:2: \"ftp://nope\"", error.Message, StringComparison.Ordinal);
        Assert.Throws<FormatException>(() => FleetDeviceList.Parse(" , ", name => files[name]));
    }
}

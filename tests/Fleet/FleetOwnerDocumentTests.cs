using System.Net;
using System.Net.Sockets;
using System.Text;
using Diode.Edge.Agent.Fleet;
using Diode.Edge.Tests.Support;
using Xunit.Abstractions;
using static Diode.Edge.Tests.Fleet.FleetAgents;

namespace Diode.Edge.Tests.Fleet;

/// <summary>
/// The owners' tools in-process (split from <see cref="FleetOwnerCommandTests"/>, which runs the real executable): a
/// signature spliced into the text as its author laid it out, the device list's grammar, and <c>fleet push</c> against
/// loopback listeners that answer too much or never.
/// </summary>
[Trait("Tier", Tiers.Unit)]
public sealed class FleetOwnerDocumentTests(ITestOutputHelper output) : IDisposable
{
    private readonly FleetAgents _fleet = new(output);

    public void Dispose() => _fleet.Dispose();

    [Theory]
    [InlineData("{\"v\":1,\"signatures\":[]}", "{\"v\":1,\"signatures\":[\"0xab\"]}")]
    [InlineData("{\"v\":1}", "{\"v\":1,\"signatures\": [\"0xab\"]}")]
    [InlineData("{\n  \"v\": 1,\n  \"signatures\": [\n    \"0x01\",\n    \"0x02\"\n  ]\n}", "{\n  \"v\": 1,\n  \"signatures\": [\n    \"0x01\",\n    \"0x02\",\n    \"0xab\"\n  ]\n}")]
    [InlineData("{ \"signatures\": [ \"0x01\" ], \"v\": 1 }", "{ \"signatures\": [ \"0x01\", \"0xab\" ], \"v\": 1 }")]
    [InlineData("[1]", "[1]")]
    [InlineData("not json", "not json")]
    public void A_signature_is_added_to_the_text_as_its_author_laid_it_out(string document, string expected)
    {
        byte[]? signed = DeploymentSignatureSplicer.Add(Encoding.UTF8.GetBytes(document), "0xab", out string? problem);

        Assert.Null(problem);
        Assert.Equal(expected, Encoding.UTF8.GetString(signed!));
    }

    [Fact]
    public void Device_lists_take_urls_addresses_and_files_of_one_per_line_with_comments()
    {
        const string address = "0x1dd5C7daf2b0b2e4b2cd6bd0e7d85a9fa8e3c0a7";
        var files = new Dictionary<string, string> { ["pis.txt"] = "# site A\nhttp://10.0.0.2:8080 # the barn\n\n  https://relay.example/pi-3/ \nhttp://10.0.0.2:8080\n" };

        var devices = DeploymentPushTargets.Parse($"http://127.0.0.1:8080, {address},@pis.txt", name => files[name], out string? problem);

        Assert.Null(problem);
        Assert.Equal(["http://127.0.0.1:8080/", "http://0x1dd5c7daf2b0b2e4b2cd6bd0e7d85a9fa8e3c0a7.diode.link/", "http://10.0.0.2:8080/", "https://relay.example/pi-3/"], devices!.Select(d => d.AbsoluteUri));
        Assert.Equal(["http://127.0.0.1:8080/deployments", "http://0x1dd5c7daf2b0b2e4b2cd6bd0e7d85a9fa8e3c0a7.diode.link/deployments", "http://10.0.0.2:8080/deployments", "https://relay.example/pi-3/deployments"], devices!.Select(d => DeploymentPushTargets.DeploymentsUrl(d).AbsoluteUri));

        Assert.Null(DeploymentPushTargets.Parse("@pis.txt,ftp://x", name => files[name], out problem));
        Assert.Equal("--devices: \"ftp://x\" is not a device (an http:// or https:// URL, or a Diode address: 0x and 40 hex digits)", problem);
        Assert.Null(DeploymentPushTargets.Parse("@bad.txt", _ => "\n0x1234\n", out problem));
        Assert.Equal("bad.txt:2: \"0x1234\" is not a device (an http:// or https:// URL, or a Diode address: 0x and 40 hex digits)", problem);
    }

    [Fact]
    public async Task A_device_that_answers_too_much_or_never_is_reported_unreachable_without_reading_it_all()
    {
        using var flood = new TcpListener(IPAddress.Loopback, 0);
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        flood.Start();
        silent.Start();
        long written = 0;
        var flooding = Task.Run(async () =>
        {
            using var client = await flood.AcceptTcpClientAsync();
            var stream = client.GetStream();
            _ = await stream.ReadAsync(new byte[4096]); // the request's start is enough: the answer does not wait for it
            await stream.WriteAsync("HTTP/1.1 202 Accepted\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n{\"state\":\"pending\",\"reason\":\""u8.ToArray());
            byte[] chunk = Encoding.ASCII.GetBytes(new string('a', 64 * 1024));
            try
            {
                for (int i = 0; i < 16 * 1024; i++) // up to 1 GB, which the client must not take
                {
                    await stream.WriteAsync(chunk);
                    written += chunk.Length;
                }
            }
            catch (IOException)
            {
                // the client stopped reading and closed: what it should do
            }
        });
        var holding = Task.Run(async () =>
        {
            using var client = await silent.AcceptTcpClientAsync();
            await Task.Delay(TimeSpan.FromSeconds(5)); // never answers in time
        });

        // The flood has time enough (a cold HTTP stack on a loaded machine took more than 0.7 s once); the silent one 0.7 s.
        byte[] document = Deployment(1, SensorsConfig(Env), _fleet.Owners[0]);
        using var patient = new DeploymentPusher(TimeSpan.FromSeconds(20), 4, TimeProvider.System);
        using var hurried = new DeploymentPusher(TimeSpan.FromMilliseconds(700), 4, TimeProvider.System);
        var flooded = await patient.PushAsync(document, [new Uri($"http://127.0.0.1:{((IPEndPoint)flood.LocalEndpoint).Port}")], _ => { }, CancellationToken.None);
        var late = await hurried.PushAsync(document, [new Uri($"http://127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}")], _ => { }, CancellationToken.None);

        Assert.Equal((DeploymentPushOutcome.Unreachable, $"HTTP 202: an answer longer than the {DeploymentPusher.MaxAnswerBytes} bytes read (not a deployment answer)"), (flooded[0].Outcome, flooded[0].Detail));
        Assert.Equal((DeploymentPushOutcome.Unreachable, "no answer within 700ms"), (late[0].Outcome, late[0].Detail));
        await flooding.WaitAsync(TimeSpan.FromSeconds(10));
        output.WriteLine($"the flooding server wrote {written} bytes before the client closed");
        Assert.True(written < 64L * 1024 * 1024, $"{written} bytes written: the answer was read on");
    }
}

using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Diode.Edge.Agent.Identity;
using Diode.Edge.Contract;
using Diode.Edge.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Diode.Edge.Tests.EndToEnd;

/// <summary>Frames served on the consumer port to an allowed consumer verify with the independent JavaScript verifier (node).</summary>
[Trait("Tier", Tiers.Integration)]
public sealed class ConsumerPortVerifierTests : IAsyncLifetime
{
    private ConsumerPortScene _scene = null!;

    public async Task InitializeAsync() => _scene = await ConsumerPortScene.StartAsync();

    public async Task DisposeAsync() => await _scene.DisposeAsync();

    [Fact]
    public async Task An_allowed_consumer_gets_signed_frames_that_verify_and_sees_identity_but_not_metrics()
    {
        using var http = _scene.Consumer(ConsumerPortScene.Allowed);
        string device = _scene.Agent.Services.GetRequiredService<DeviceIdentity>().Address;

        using var cancel = new CancellationTokenSource(ConsumerPortScene.Patience);
        using var response = await http.GetAsync("/streams/env/events", HttpCompletionOption.ResponseHeadersRead, cancel.Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancel.Token));
        var verifier = new FrameVerifier(device);
        int verified = 0;
        while (verified < 3 && await reader.ReadLineAsync(cancel.Token) is { } line)
        {
            if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                var verdict = verifier.Verify(Encoding.UTF8.GetBytes(line["data: ".Length..]));
                Assert.True(verdict.Accepted, verdict.Reason);
                Assert.Equal("env", verdict.Stream);
                verified++;
            }
        }

        Assert.Equal(3, verified);
        Assert.Equal(["door", "env"], await ConsumerPortScene.StreamIdsAsync(http));
        using var metrics = await http.GetAsync("/metrics", cancel.Token);
        Assert.Equal(HttpStatusCode.Forbidden, metrics.StatusCode);
        using var health = await http.GetAsync("/health", cancel.Token);
        Assert.NotEqual(HttpStatusCode.Forbidden, health.StatusCode);
        using var dashboard = await http.GetAsync("/", cancel.Token);
        Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);

        string identityJson = await http.GetStringAsync("/identity", cancel.Token);
        using var identity = JsonDocument.Parse(identityJson);
        string client = identity.RootElement.GetProperty("clientAddress").GetString()!;
        Assert.Equal(FakeDiodeConfigApi.ClientAddress, client, ignoreCase: true);
        string statement = identity.RootElement.GetProperty("statement").GetString()!;
        Assert.Equal(client, JsonDocument.Parse(statement).RootElement.GetProperty("client").GetString());
        Assert.Equal(device, Eip191.Recover(Encoding.UTF8.GetBytes(statement), identity.RootElement.GetProperty("sig").GetString()!));
        var ethers = await NodeVerifier.RunAsync(identityJson, "identity");
        Assert.True(ethers.GetProperty("ok").GetBoolean(), ethers.ToString());
        var altered = System.Text.Json.Nodes.JsonNode.Parse(identityJson)!;
        altered["clientAddress"] = ConsumerPortScene.NotAllowed;
        var tampered = await NodeVerifier.RunAsync(altered.ToJsonString(), "identity");
        Assert.False(tampered.GetProperty("ok").GetBoolean(), "the independent verifier accepted a clientAddress the statement does not name");
    }
}

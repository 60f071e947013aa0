using Diode.Edge.Contract;
using Diode.Edge.Tests.Support;

namespace Diode.Edge.Tests.Mqtt;

/// <summary>The cursor (last frame the broker acknowledged) survives an agent restart: what a stopped agent had not delivered, the next run delivers first, in order.</summary>
[Trait("Tier", Tiers.Integration)]
public sealed class MqttResumeTests
{
    [Fact]
    public async Task Frames_the_broker_never_acknowledged_are_sent_by_the_next_run_before_its_own()
    {
        using var dir = new TempDirectory();
        await using var broker = await Mosquitto.StartAsync();
        string config = MqttAgent.Config(broker.Port, extraTop: """ "store": { "flushInterval": "100ms" }, """);
        await using var probe = new MqttProbe(broker.Port, ["diode-edge/+/env/frame"], clientId: "resume-probe", persistentSession: true);
        await probe.ConnectAsync();

        string address;
        long lastOfFirstRun;
        await using (var first = await RunningAgent.StartAsync(config, dir))
        {
            address = await MqttAgent.AddressAsync(first);
            await probe.WaitForAsync(m => m.Count >= 5, TimeSpan.FromSeconds(20), "5 frames of the first run");
            await broker.StopAsync();
            long atStop = MqttAgent.Seq(await first.Http.GetStringAsync("/streams/env/latest"));
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
            do
            {
                await Task.Delay(100);
                lastOfFirstRun = MqttAgent.Seq(await first.Http.GetStringAsync("/streams/env/latest"));
            }
            while (lastOfFirstRun < atStop + 10 && DateTime.UtcNow < deadline);
        }

        await broker.StartAsync();
        await probe.ReconnectAsync(TimeSpan.FromSeconds(10));
        await using var second = await RunningAgent.StartAsync(config, dir);
        var received = await probe.WaitForAsync(m => m.Count > 0 && MqttAgent.Position(m[^1].Payload).Epoch != MqttAgent.Position(m[0].Payload).Epoch && MqttAgent.Seq(m[^1].Payload) >= 5, TimeSpan.FromSeconds(30), "frames of the second run");

        var verifier = new FrameVerifier(address);
        var positions = MqttAgent.WithoutBrokerRedeliveries(received).Select(m => (Verdict: verifier.Verify(System.Text.Encoding.UTF8.GetBytes(m.Payload)), Position: MqttAgent.Position(m.Payload), m.Dup, m.Retain)).ToList();
        Assert.All(positions, p => Assert.True(p.Verdict.Accepted && p.Verdict.Missed == 0, $"{p.Position}: {p.Verdict.Reason}, missed {p.Verdict.Missed}, dup {p.Dup}, retain {p.Retain}; all: {string.Join(" ", positions.Select(x => $"{x.Position.Seq}{(x.Dup ? "D" : "")}{(x.Retain ? "R" : "")}"))}"));
        var firstRun = positions.TakeWhile(p => p.Position.Epoch == positions[0].Position.Epoch).Select(p => p.Position.Seq).ToList();
        var secondRun = positions.Skip(firstRun.Count).Select(p => p.Position.Seq).ToList();
        // The first run may take a frame or two after the last look at /latest, before it stops: at least that many, none missing.
        Assert.Equal(Enumerable.Range(1, firstRun.Count).Select(i => (long)i), firstRun);
        Assert.True(firstRun.Count >= lastOfFirstRun, $"the first run took {lastOfFirstRun} frames; only {firstRun.Count} arrived");
        Assert.Equal(Enumerable.Range(1, secondRun.Count).Select(i => (long)i), secondRun);
    }
}

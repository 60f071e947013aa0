using Diode.Edge.Agent.Configuration;
using Diode.Edge.Agent.Identity;
using Diode.Edge.Agent.Streams;
using Diode.Edge.Sensors;

namespace Diode.Edge.Tests.Support;

/// <summary>Genuine frames of stream "env" (or another) signed by a given key, seq 1, 2, 3…, as an agent with that key publishes them.</summary>
internal static class SignedFrames
{
    public static List<Frame> Make(DeviceKey key, int count, string streamId = "env")
    {
        var hub = new StreamHub(new HubOptions(), TimeProvider.System, () => new FrameEncoder(key));
        var stream = hub.Register(new StreamDescriptor(streamId, "simulated", [Quantity.Temperature], TimeSpan.FromSeconds(1)));
        return [.. Enumerable.Range(1, count).Select(i => stream.Publish(new Reading(DateTimeOffset.UtcNow, [new Measurement(Quantity.Temperature, i)])))];
    }
}

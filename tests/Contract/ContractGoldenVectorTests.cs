using System.Text;
using System.Text.Json;
using Diode.Edge.Contract;
using Diode.Edge.Tests.Support;

namespace Diode.Edge.Tests.Contract;

/// <summary>
/// The golden vectors (tests/golden/vectors.json, made with ethers) verified the way a consumer would, with the contract
/// library's types only: every signature recovers the device, and the frames of the stream are accepted in order.
/// </summary>
[Trait("Tier", Tiers.Unit)]
public sealed class ContractGoldenVectorTests
{
    [Fact]
    public void Every_golden_vector_recovers_the_device_with_the_contract_library()
    {
        var golden = GoldenVectorFile.Load();
        int count = 0;
        foreach (var vector in golden.Vectors)
        {
            byte[] payload = Encoding.UTF8.GetBytes(vector.Payload);
            Assert.Equal(golden.Address, Eip191.Recover(payload, vector.Sig));
            Assert.Equal(32, Eip191.Hash(payload).Length);
            count++;
        }

        Assert.Equal(6, count);
    }

    [Fact]
    public void The_golden_frames_verify_in_order_with_the_contract_library()
    {
        var golden = GoldenVectorFile.Load();
        var verifier = new FrameVerifier(golden.Address, "env");
        var verdicts = golden.Vectors.Select(vector => verifier.Verify(vector.FrameJson())).ToList();

        Assert.Equal(6, verdicts.Count);
        for (int i = 0; i < 5; i++)
        {
            Assert.True(verdicts[i].Accepted, verdicts[i].Reason);
            Assert.Equal("env", verdicts[i].Stream);
            Assert.Equal(new EventPosition(1795565985323, i + 1), verdicts[i].Position);
            Assert.Equal(0, verdicts[i].Missed);
        }

        // The last vector signs "{}": a genuine signature over a payload that is not a frame of the device.
        Assert.False(verdicts[5].Accepted);
        Assert.Equal(FrameVerdictKinds.WrongDevice, verdicts[5].Kind);

        // Replaying a golden frame is refused as a replay, not a forgery.
        var replay = verifier.Verify(golden.Vectors[0].Payload, golden.Vectors[0].Sig);
        Assert.False(replay.Accepted);
        Assert.True(replay.IsReplay);
    }

    [Fact]
    public async Task The_golden_frames_read_from_a_server_sent_event_stream_verify_with_the_contract_library()
    {
        var golden = GoldenVectorFile.Load();
        var sse = new StringBuilder(": keep-alive\n\n");
        foreach (var vector in golden.Vectors.Take(5))
        {
            using var position = JsonDocument.Parse(vector.Payload);
            string frame = Encoding.UTF8.GetString(vector.FrameJson());
            sse.Append("event: frame\nid: ").Append(position.RootElement.GetProperty("epoch").GetInt64()).Append('-')
                .Append(position.RootElement.GetProperty("seq").GetInt64()).Append("\ndata: ").Append(frame).Append("\n\n");
        }

        using var reader = new BoundedSseReader(new MemoryStream(Encoding.UTF8.GetBytes(sse.ToString())));
        var verifier = new FrameVerifier(golden.Address, "env");
        int accepted = 0;
        await foreach (var message in reader.ReadAllAsync())
        {
            var verdict = verifier.Verify(Encoding.UTF8.GetBytes(message.Data));
            Assert.True(verdict.Accepted, verdict.Reason);
            Assert.True(EventPosition.TryParse(message.EventId, out var id));
            Assert.Equal(id, verdict.Position);
            accepted++;
        }

        Assert.Equal(5, accepted);
        Assert.Equal(0, reader.OversizedLines);
    }
}

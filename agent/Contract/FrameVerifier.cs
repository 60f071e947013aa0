using System.Text;
using System.Text.Json;

namespace Diode.Edge.Contract;

/// <summary>
/// Verifies frames end to end against the device a consumer meant to reach (docs/stream-contract.md): the EIP-191 signature over
/// the payload's exact bytes must recover that address, the payload's <c>device</c> must be it too, and per stream
/// <c>(epoch, seq)</c> must only increase; a gap in seq is reported as loss. No relay on the way has to be trusted.
/// With an expected stream, a genuine frame of any other stream of the device is refused too (a relay serving
/// <c>greenhouse</c> as <c>env</c>). One verifier per consumer; not thread-safe.
/// </summary>
public sealed class FrameVerifier
{
    private readonly Dictionary<string, EventPosition> _last = new(StringComparer.Ordinal);

    /// <param name="expectedDevice">The address every frame must be signed by.</param>
    /// <param name="expectedStream">The stream asked for; null accepts frames of any stream of the device (a consumer of several).</param>
    public FrameVerifier(string expectedDevice, string? expectedStream = null)
    {
        ArgumentNullException.ThrowIfNull(expectedDevice);
        if (!EthereumAddress.IsAddress(expectedDevice))
        {
            throw new ArgumentException($"\"{expectedDevice}\" is not an address (0x followed by 40 hex digits)", nameof(expectedDevice));
        }

        ExpectedDevice = expectedDevice;
        ExpectedStream = expectedStream;
    }

    public string ExpectedDevice { get; }

    public string? ExpectedStream { get; }

    /// <summary>Checks a frame (<c>{"payload":"…","sig":"0x…"}</c>) and, when accepted, remembers its position.</summary>
    public FrameVerdict Verify(ReadOnlySpan<byte> frameJson)
    {
        string? payload;
        string? sig;
        try
        {
            var reader = new Utf8JsonReader(frameJson);
            (payload, sig) = ReadFrame(ref reader);
        }
        catch (JsonException)
        {
            return FrameVerdict.Rejected("not a frame: malformed JSON");
        }

        if (payload is null || sig is null)
        {
            return payload is null ? FrameVerdict.Rejected("not a frame: no payload") : FrameVerdict.Rejected(FrameVerdictKinds.Unsigned, "unsigned frame: no sig", null, default);
        }

        return Verify(payload, sig);
    }

    public FrameVerdict Verify(string payload, string sig)
    {
        ArgumentNullException.ThrowIfNull(payload);
        ArgumentNullException.ThrowIfNull(sig);
        if (sig.Length != 132 || !sig.StartsWith("0x", StringComparison.Ordinal) || sig.AsSpan(2).ContainsAnyExcept(EthereumAddress.HexDigits))
        {
            return FrameVerdict.Rejected(FrameVerdictKinds.BadSignature, "bad signature: expected 0x and 130 hex digits", null, default);
        }

        string? signer = Eip191.Recover(Encoding.UTF8.GetBytes(payload), sig);
        if (signer is null)
        {
            return FrameVerdict.Rejected(FrameVerdictKinds.BadSignature, "bad signature: it does not recover to any key", null, default);
        }

        string? device;
        string? stream;
        EventPosition position;
        try
        {
            (device, stream, position) = ReadPayload(payload);
        }
        catch (JsonException)
        {
            return FrameVerdict.Rejected("payload is not JSON");
        }

        if (!string.Equals(signer, ExpectedDevice, StringComparison.OrdinalIgnoreCase))
        {
            return FrameVerdict.Rejected(FrameVerdictKinds.Forged, $"signed by {signer}, not by {ExpectedDevice} (forged or altered)", stream, position);
        }

        if (!string.Equals(device, ExpectedDevice, StringComparison.OrdinalIgnoreCase))
        {
            return FrameVerdict.Rejected(FrameVerdictKinds.WrongDevice, $"payload names device {device ?? "(none)"}, not the signer {signer}", stream, position);
        }

        if (stream is null || position.Seq < 1)
        {
            return FrameVerdict.Rejected(FrameVerdictKinds.Malformed, "payload has no stream, epoch or seq", stream, position);
        }

        if (ExpectedStream is not null && !string.Equals(stream, ExpectedStream, StringComparison.Ordinal))
        {
            return FrameVerdict.Rejected(FrameVerdictKinds.OtherStream, $"stream \"{stream}\" is not the stream asked for (\"{ExpectedStream}\")", stream, position);
        }

        long missed = 0;
        if (_last.TryGetValue(stream, out var last))
        {
            if (position <= last)
            {
                return FrameVerdict.Rejected(FrameVerdictKinds.Replayed, $"replayed or reordered: {position} is not newer than {last}", stream, position);
            }

            missed = position.Epoch == last.Epoch ? position.Seq - last.Seq - 1 : position.Seq - 1;
        }

        _last[stream] = position;
        return new FrameVerdict(true, null, stream, position, missed);
    }

    private static (string? Payload, string? Sig) ReadFrame(ref Utf8JsonReader reader)
    {
        string? payload = null;
        string? sig = null;
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("not an object");
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            bool isPayload = reader.ValueTextEquals("payload"u8);
            bool isSig = reader.ValueTextEquals("sig"u8);
            reader.Read();
            if (isPayload && reader.TokenType == JsonTokenType.String)
            {
                payload = reader.GetString();
            }
            else if (isSig && reader.TokenType == JsonTokenType.String)
            {
                sig = reader.GetString();
            }
            else
            {
                reader.Skip();
            }
        }

        return (payload, sig);
    }

    private static (string? Device, string? Stream, EventPosition Position) ReadPayload(string payload)
    {
        using var document = JsonDocument.Parse(payload);
        var root = document.RootElement;
        string? device = root.TryGetProperty("device", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null;
        string? stream = root.TryGetProperty("stream", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
        long epoch = root.TryGetProperty("epoch", out var e) && e.TryGetInt64(out long ev) ? ev : 0;
        long seq = root.TryGetProperty("seq", out var q) && q.TryGetInt64(out long qv) ? qv : 0;
        return (device, stream, new EventPosition(epoch, seq));
    }
}

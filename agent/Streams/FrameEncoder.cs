using System.Buffers;
using System.Buffers.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Diode.Edge.Agent.Identity;
using Diode.Edge.Contract;
using Diode.Edge.Sensors;

namespace Diode.Edge.Agent.Streams;

/// <summary>Encodes a reading into a <see cref="Frame"/> in the stream contract's exact byte format (docs/stream-contract.md).</summary>
internal sealed class FrameEncoder
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = false };

    private readonly ArrayBufferWriter<byte> _payloadBuffer = new(512);
    private readonly ArrayBufferWriter<byte> _frameBuffer = new(768);
    private readonly DeviceKey? _key;

    /// <param name="key">The device key that signs every frame (its address goes into each payload); null gives unsigned frames, for tools only.</param>
    private readonly Action<TimeSpan>? _onSigned;

    private readonly Func<bool>? _clockSynchronized;

    /// <param name="onSigned">Told how long each signature took (the sign-latency histogram).</param>
    /// <param name="clockSynchronized">Whether the system clock is synchronised now: each payload then says so after <c>ts</c>, <c>"clock":"synced"</c> or <c>"unsynced"</c> (contract v1, an addition consumers may ignore). Null: no <c>clock</c> member (tools).</param>
    public FrameEncoder(DeviceKey? key = null, Action<TimeSpan>? onSigned = null, Func<bool>? clockSynchronized = null)
    {
        _key = key;
        _onSigned = onSigned;
        _clockSynchronized = clockSynchronized;
    }

    /// <summary>The device address written into each payload.</summary>
    public string? Device => _key?.Address;

    /// <summary>Encodes one frame. Not thread-safe: each stream owns one encoder and calls it under its lock.</summary>
    public Frame Encode(StreamDescriptor stream, EventPosition position, Reading reading)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(reading);
        _payloadBuffer.ResetWrittenCount();
        using (var writer = new Utf8JsonWriter(_payloadBuffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteNumber("v"u8, 1);
            if (Device is not null)
            {
                writer.WriteString("device"u8, Device);
            }

            writer.WriteString("stream"u8, stream.Id);
            writer.WriteNumber("epoch"u8, position.Epoch);
            writer.WriteNumber("seq"u8, position.Seq);
            Span<byte> ts = stackalloc byte[24];
            writer.WriteString("ts"u8, FormatTimestamp(reading.Timestamp, ts));
            if (_clockSynchronized is not null)
            {
                writer.WriteString("clock"u8, _clockSynchronized() ? "synced"u8 : "unsynced"u8);
            }

            writer.WriteStartObject("values"u8);
            foreach (var m in reading.Measurements)
            {
                writer.WriteNumber(m.Quantity.Name, m.Value);
            }

            writer.WriteEndObject();
            writer.WriteStartObject("units"u8);
            foreach (var m in reading.Measurements)
            {
                writer.WriteString(m.Quantity.Name, m.Quantity.Unit);
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        byte[] payload = _payloadBuffer.WrittenSpan.ToArray();

        _frameBuffer.ResetWrittenCount();
        using (var writer = new Utf8JsonWriter(_frameBuffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("payload"u8, payload);
            if (_key is not null)
            {
                long started = System.Diagnostics.Stopwatch.GetTimestamp();
                writer.WriteString("sig"u8, _key.Sign(payload));
                _onSigned?.Invoke(System.Diagnostics.Stopwatch.GetElapsedTime(started));
            }

            writer.WriteEndObject();
        }

        byte[] json = _frameBuffer.WrittenSpan.ToArray();
        return new Frame(stream.Id, position, reading.Timestamp, payload, json, EncodeSse(position, json)) { PublishedTimestamp = System.Diagnostics.Stopwatch.GetTimestamp() };
    }

    /// <summary>Rebuilds a frame from its JSON (stored, or received from upstream): the payload string's exact bytes and the SSE encoding.</summary>
    public static Frame Decode(string streamId, EventPosition position, DateTimeOffset timestamp, byte[] json, long publishedTimestamp = 0)
    {
        var reader = new Utf8JsonReader(json);
        byte[] payload = [];
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 1 && reader.ValueTextEquals("payload"u8))
            {
                reader.Read();
                payload = System.Text.Encoding.UTF8.GetBytes(reader.GetString() ?? string.Empty);
                break;
            }
        }

        return new Frame(streamId, position, timestamp, payload, json, EncodeSse(position, json)) { PublishedTimestamp = publishedTimestamp };
    }

    /// <summary><c>id: epoch-seq\nevent: frame\ndata: {json}\n\n</c> inside an HTTP/1.1 chunk (<see cref="HttpChunk"/>), in one array.</summary>
    internal static byte[] EncodeSse(EventPosition position, byte[] json)
    {
        Span<byte> id = stackalloc byte[48];
        int n = 0;
        Utf8Formatter.TryFormat(position.Epoch, id, out int written);
        n += written;
        id[n++] = (byte)'-';
        Utf8Formatter.TryFormat(position.Seq, id[n..], out written);
        n += written;

        ReadOnlySpan<byte> idPrefix = "id: "u8;
        ReadOnlySpan<byte> eventLine = "\nevent: frame\ndata: "u8;
        int length = idPrefix.Length + n + eventLine.Length + json.Length + 2;
        var chunk = HttpChunk.Allocate(length, out var span);
        idPrefix.CopyTo(span);
        span = span[idPrefix.Length..];
        id[..n].CopyTo(span);
        span = span[n..];
        eventLine.CopyTo(span);
        span = span[eventLine.Length..];
        json.CopyTo(span);
        span[json.Length] = (byte)'\n';
        span[json.Length + 1] = (byte)'\n';
        return chunk;
    }

    /// <summary>RFC 3339 UTC with milliseconds: <c>2026-11-24T10:00:00.123Z</c>.</summary>
    private static ReadOnlySpan<byte> FormatTimestamp(DateTimeOffset timestamp, Span<byte> buffer)
    {
        var utc = timestamp.UtcDateTime;
        utc.TryFormat(buffer, out int written, Rfc3339.Format, System.Globalization.CultureInfo.InvariantCulture);
        return buffer[..written];
    }
}

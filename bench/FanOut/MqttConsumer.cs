using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;

namespace Diode.Edge.Bench.FanOut;

/// <summary>
/// A lean MQTT 3.1.1 subscriber on a raw socket (CONNECT, SUBSCRIBE at QoS 0, then PUBLISH packets read one by one):
/// counts frames and records their age, at the client cost of <see cref="SseConsumer"/>. A full client library per
/// subscriber (MQTTnet: its own tasks, dispatch and allocations per message) made the benchmark's client side, not the
/// broker, the limit at 10,000 subscribers on two cores.
/// </summary>
public sealed class MqttConsumer(int port, string topic, LatencyHistogram latency) : IAsyncDisposable
{
    private const byte Publish = 3;
    private static int _nextId;

    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private readonly byte[] _buffer = new byte[16 * 1024];
    private int _start;
    private int _end;
    private long _frames;

    public long Frames => Interlocked.Read(ref _frames);

    public bool Measuring { get; set; }

    /// <summary>Connects, subscribes and waits for CONNACK and SUBACK.</summary>
    public async Task ConnectAsync(CancellationToken cancellationToken)
    {
        await _socket.ConnectAsync("127.0.0.1", port, cancellationToken).ConfigureAwait(false);
        byte[] clientId = Encoding.ASCII.GetBytes($"bench-{Interlocked.Increment(ref _nextId)}");
        byte[] topicBytes = Encoding.UTF8.GetBytes(topic);

        // CONNECT: "MQTT", level 4, clean session, keep-alive 300 s, client id.
        var connect = new List<byte> { 0, 4, (byte)'M', (byte)'Q', (byte)'T', (byte)'T', 4, 0x02, 0x01, 0x2C };
        connect.AddRange(LengthPrefixed(clientId));
        // SUBSCRIBE (packet id 1): the topic at QoS 0.
        var subscribe = new List<byte> { 0, 1 };
        subscribe.AddRange(LengthPrefixed(topicBytes));
        subscribe.Add(0);
        await _socket.SendAsync(Packet(0x10, connect).Concat(Packet(0x82, subscribe)).ToArray(), cancellationToken).ConfigureAwait(false);

        var (type, body) = await ReadPacketAsync(cancellationToken).ConfigureAwait(false);
        if (type != 2 || body.Length != 2 || body[1] != 0)
        {
            throw new IOException($"mosquitto refused the connection (packet type {type}, return code {(body.Length > 1 ? body[1] : -1)})");
        }

        (type, body) = await ReadPacketAsync(cancellationToken).ConfigureAwait(false);
        if (type != 9 || body.Length < 3 || body[2] > 2)
        {
            throw new IOException($"mosquitto refused the subscription (packet type {type})");
        }
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                var (type, body) = await ReadPacketAsync(cancellationToken).ConfigureAwait(false);
                if (type != Publish || !Measuring)
                {
                    continue;
                }

                var now = DateTimeOffset.UtcNow;
                Interlocked.Increment(ref _frames);
                int topicLength = BinaryPrimitives.ReadUInt16BigEndian(body);
                if (FrameTimestamp.TryAge(body.AsSpan(2 + topicLength), now, out double ms))
                {
                    latency.Record(ms);
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException or EndOfStreamException)
        {
        }
    }

    public ValueTask DisposeAsync()
    {
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>The next packet's type (the fixed header's high nibble) and body, from the receive buffer.</summary>
    private async Task<(int Type, byte[] Body)> ReadPacketAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            if (TryTakePacket(out int type, out byte[]? body))
            {
                return (type, body!);
            }

            if (_start > 0)
            {
                _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
                _end -= _start;
                _start = 0;
            }

            int n = await _socket.ReceiveAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                throw new EndOfStreamException("mosquitto closed the connection");
            }

            _end += n;
        }
    }

    private bool TryTakePacket(out int type, out byte[]? body)
    {
        type = 0;
        body = null;
        var span = _buffer.AsSpan(_start, _end - _start);
        int length = 0;
        int at = 1;
        for (int shift = 0; ; shift += 7)
        {
            if (at >= span.Length)
            {
                return false;
            }

            byte b = span[at++];
            length |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                break;
            }

            if (shift == 21)
            {
                throw new IOException("malformed MQTT remaining length");
            }
        }

        if (at + length > _buffer.Length)
        {
            throw new IOException($"an MQTT packet of {length} bytes is larger than the benchmark's buffer");
        }

        if (span.Length < at + length)
        {
            return false;
        }

        type = span[0] >> 4;
        body = span.Slice(at, length).ToArray();
        _start += at + length;
        return true;
    }

    private static byte[] LengthPrefixed(byte[] value) => [(byte)(value.Length >> 8), (byte)value.Length, .. value];

    private static IEnumerable<byte> Packet(byte header, List<byte> body)
    {
        yield return header;
        int length = body.Count;
        do
        {
            byte b = (byte)(length & 0x7F);
            length >>= 7;
            yield return length > 0 ? (byte)(b | 0x80) : b;
        }
        while (length > 0);

        foreach (byte b in body)
        {
            yield return b;
        }
    }
}

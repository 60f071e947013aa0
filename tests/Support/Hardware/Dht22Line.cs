using System.Device.Gpio;
using System.Diagnostics;

namespace Diode.Edge.Tests.Support.Hardware;

/// <summary>
/// A DHT22/AM2302 on a GPIO line, answering in real time as its datasheet describes: after the host holds the line low
/// for at least 1 ms and releases it, the sensor pulls low 80 µs, high 80 µs, then sends 40 bits (humidity·10 and
/// temperature·10 as 16-bit words, sign in bit 15, then an 8-bit checksum), each bit 50 µs low then 26–28 µs high for
/// 0 or 70 µs high for 1, and releases the line (high) after a last 50 µs low.
/// </summary>
public sealed class Dht22Line
{
    private const double LowAck = 80, HighAck = 80, BitLow = 50, Zero = 27, One = 70;

    private readonly Lock _gate = new();
    private long _lowSince = -1;
    private long _answerFrom = -1;
    private double[] _edges = [];

    public double Temperature { get; set; } = 21.3;

    public double Humidity { get; set; } = 48.7;

    /// <summary>When true the sensor ignores start signals (unplugged, or a missed start on a busy Pi).</summary>
    public bool Silent { get; set; }

    public int Answers { get; private set; }

    /// <summary>
    /// When set, the next answer carries this frame instead (then it clears): two flipped bits that cancel in the byte-sum
    /// checksum, as a misread on a busy CPU produces.
    /// </summary>
    public byte[]? NextFrame { get; set; }

    /// <summary>The 5 bytes the sensor sends for its current values.</summary>
    public static byte[] Frame(double temperature, double humidity)
    {
        int h = (int)Math.Round(humidity * 10);
        int t = (int)Math.Round(Math.Abs(temperature) * 10) | (temperature < 0 ? 0x8000 : 0);
        byte[] data = [(byte)(h >> 8), (byte)h, (byte)(t >> 8), (byte)t, 0];
        data[4] = (byte)(data[0] + data[1] + data[2] + data[3]);
        return data;
    }

    internal void HostDrove(PinValue value, long timestamp)
    {
        lock (_gate)
        {
            _lowSince = value == PinValue.Low ? timestamp : _lowSince;
        }
    }

    internal void HostReleased(long timestamp)
    {
        lock (_gate)
        {
            bool started = _lowSince >= 0 && Stopwatch.GetElapsedTime(_lowSince, timestamp) >= TimeSpan.FromMilliseconds(1);
            _lowSince = -1;
            if (!started || Silent)
            {
                _answerFrom = -1;
                return;
            }

            Answers++;
            _answerFrom = timestamp;

            // Times (µs after release) at which the line toggles, starting low.
            var edges = new List<double> { 0 };
            double at = LowAck;
            edges.Add(at);
            at += HighAck;
            byte[] frame = NextFrame ?? Frame(Temperature, Humidity);
            NextFrame = null;
            foreach (byte b in frame)
            {
                for (int bit = 7; bit >= 0; bit--)
                {
                    edges.Add(at);
                    at += BitLow;
                    edges.Add(at);
                    at += ((b >> bit) & 1) == 1 ? One : Zero;
                }
            }

            edges.Add(at);
            at += BitLow;
            edges.Add(at);
            _edges = [.. edges];
        }
    }

    internal PinValue Level(long timestamp)
    {
        lock (_gate)
        {
            if (_answerFrom < 0)
            {
                return PinValue.High;
            }

            double us = Stopwatch.GetElapsedTime(_answerFrom, timestamp).TotalMicroseconds;
            int toggles = 0;
            while (toggles < _edges.Length && _edges[toggles] <= us)
            {
                toggles++;
            }

            // Toggle 1 pulls low; odd count = low.
            return toggles % 2 == 1 ? PinValue.Low : PinValue.High;
        }
    }
}

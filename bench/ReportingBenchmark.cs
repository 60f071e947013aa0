using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Diode.Edge.Agent.Configuration;
using Diode.Edge.Agent.Identity;
using Diode.Edge.Agent.Mqtt;
using Diode.Edge.Agent.Store;
using Diode.Edge.Agent.Streams;
using Diode.Edge.Sensors;
using Diode.Edge.Sensors.Reporting;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using MQTTnet;
using MQTTnet.Protocol;

namespace Diode.Edge.Bench;

/// <summary>
/// What the reporting rules save an SD card and a network: one simulated day of a greenhouse sensor read every second
/// (a slow daily swing plus sensor noise), fast-forwarded with a fake clock, through the agent's own parts — the
/// reporting filter, the hub (signing with a device key), the SQLite store batched per 10 s as <c>store.flushInterval</c>
/// does (bytes written to the disk from /proc/self/io), and an MQTTnet client publishing each frame and its state, QoS 1
/// retained, to a real mosquitto through a proxy that counts the bytes sent — every sample against deadband + heartbeat.
/// </summary>
public static class ReportingBenchmark
{
    private const int Day = 86_400;
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    public static async Task<int> RunAsync(string directory)
    {
        Directory.CreateDirectory(directory);
        var key = new DeviceKey(DeviceKey.GeneratePrivateKeyHex());
        var samples = Signal();
        Console.WriteLine($"one simulated day, a sample per second ({samples.Length:N0} samples: temperature, relative_humidity, pressure), store in {directory}");
        var rows = new List<(string Name, Result Result)>
        {
            ("every sample", await MeasureAsync(directory, key, samples, null)),
        };
        var deadbandHeartbeat = new ReportOptions
        {
            Heartbeat = TimeSpan.FromMinutes(5),
            Quantities =
            {
                ["temperature"] = new ReportRules { Deadband = "0.2" },
                ["relative_humidity"] = new ReportRules { Deadband = "1" },
                ["pressure"] = new ReportRules { Deadband = "0.5" },
            },
        };
        rows.Add(("deadband 0.2 °C / 1 %RH / 0.5 hPa + heartbeat 5m", await MeasureAsync(directory, key, samples, deadbandHeartbeat)));
        var withMedian = new ReportOptions { Heartbeat = deadbandHeartbeat.Heartbeat, Median = 5, Quantities = deadbandHeartbeat.Quantities };
        rows.Add(("the same + median of 5", await MeasureAsync(directory, key, samples, withMedian)));

        Console.WriteLine();
        Console.WriteLine("| rules | frames published | store bytes written | MQTT bytes sent |");
        Console.WriteLine("|---|---|---|---|");
        var every = rows[0].Result;
        foreach (var (name, r) in rows)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {name} | {r.Frames:N0} | {r.StoreBytes / 1e6:F1} MB | {r.MqttBytes / 1e6:F2} MB |"));
        }

        foreach (var (name, r) in rows.Skip(1))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"ratio every sample / {name}: frames {every.Frames / (double)r.Frames:F0}x, store bytes {every.StoreBytes / (double)Math.Max(1, r.StoreBytes):F0}x, MQTT bytes {every.MqttBytes / (double)r.MqttBytes:F0}x"));
        }

        return 0;
    }

    private readonly record struct Result(long Frames, long StoreBytes, long MqttBytes);

    private static async Task<Result> MeasureAsync(string directory, DeviceKey key, double[][] samples, ReportOptions? rules)
    {
        var time = new FakeTimeProvider(Start);
        var filter = new ReportingFilter(rules, time);
        var hub = new StreamHub(new HubOptions { RingSize = 16 }, time, () => new FrameEncoder(key, clockSynchronized: () => true));
        var descriptor = new StreamDescriptor("greenhouse", "bme280", [Quantity.Temperature, Quantity.RelativeHumidity, Quantity.Pressure], TimeSpan.FromSeconds(1));
        var stream = hub.Register(descriptor);

        string path = Path.Combine(directory, "reporting-bench.db");
        foreach (string f in new[] { path, path + "-wal", path + "-shm" })
        {
            File.Delete(f);
        }

        var published = new List<Frame>();
        long storeBytes;
        using (var store = new FrameStore(new StoreOptions { Path = path }, time, NullLogger<FrameStore>.Instance))
        {
            store.Open();
            store.RecordEpoch(hub.Epoch);
            var pending = new List<Frame>();
            long before = WriteBytes();
            for (int t = 0; t < samples.Length; t++)
            {
                time.SetUtcNow(Start.AddSeconds(t));
                var s = samples[t];
                var reading = new Reading(time.GetUtcNow(), [new(Quantity.Temperature, s[0]), new(Quantity.RelativeHumidity, s[1]), new(Quantity.Pressure, s[2])]);
                if (filter.Apply(reading) is { } report)
                {
                    var frame = stream.Publish(report);
                    pending.Add(frame);
                    published.Add(frame);
                }

                // One transaction per flush interval (store.flushInterval's default, 10 s), as the store's writer does.
                if (t % 10 == 9 && pending.Count > 0)
                {
                    store.Append(pending);
                    pending.Clear();
                }
            }

            if (pending.Count > 0)
            {
                store.Append(pending);
            }

            storeBytes = WriteBytes() - before;
        }

        SqliteConnection.ClearAllPools();
        long mqttBytes = await PublishAsync(published, descriptor.Id).ConfigureAwait(false);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {(rules is null ? "every sample" : "with rules")}: {filter.Samples:N0} samples, {published.Count:N0} frames (suppressed {filter.Suppressed:N0}, out of range {filter.OutOfRange}), store {storeBytes:N0} B, MQTT {mqttBytes:N0} B"));
        return new Result(published.Count, storeBytes, mqttBytes);
    }

    /// <summary>Publishes every frame and its state as the agent's MQTT output does (QoS 1, retained, each PUBACK awaited); returns the bytes sent, CONNECT and DISCONNECT included.</summary>
    private static async Task<long> PublishAsync(List<Frame> frames, string streamId)
    {
        int port = FreePort();
        string config = Path.Combine(Path.GetTempPath(), $"diode-edge-bench-mosquitto-{port}.conf");
        await File.WriteAllTextAsync(config, $"listener {port} 127.0.0.1\nallow_anonymous true\npersistence false\nlog_dest none\n").ConfigureAwait(false);
        var psi = new ProcessStartInfo("mosquitto") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(config);
        using var broker = Process.Start(psi) ?? throw new InvalidOperationException("cannot start mosquitto (apt-get install mosquitto)");
        try
        {
            await WaitForPortAsync(port).ConfigureAwait(false);
            await using var proxy = new CountingTcpProxy(port);
            var topics = new MqttTopics("diode-edge", "0x00000000000000000000000000000000000000aa");
            using var client = new MqttClientFactory().CreateMqttClient();
            await client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", proxy.Port).WithClientId("bench").WithKeepAlivePeriod(TimeSpan.FromMinutes(10)).Build()).ConfigureAwait(false);
            foreach (var frame in frames)
            {
                await client.PublishAsync(Message(topics.Frame(streamId), frame.Json)).ConfigureAwait(false);
                await client.PublishAsync(Message(topics.State(streamId), HomeAssistantDiscovery.State(frame))).ConfigureAwait(false);
            }

            await client.DisconnectAsync().ConfigureAwait(false);
            await Task.Delay(200).ConfigureAwait(false);
            return proxy.ClientBytes;
        }
        finally
        {
            broker.Kill();
            await broker.WaitForExitAsync().ConfigureAwait(false);
            File.Delete(config);
        }
    }

    private static MqttApplicationMessage Message(string topic, ReadOnlyMemory<byte> payload) =>
        new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(new System.Buffers.ReadOnlySequence<byte>(payload))
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithRetainFlag()
            .Build();

    /// <summary>
    /// A greenhouse over one day, one sample per second: a daily swing (temperature 12–32 °C, humidity 40–80 %RH,
    /// pressure ±1.5 hPa over 12 h), passing clouds in the daytime (every 40 min from 9:00 to 17:00 the temperature
    /// falls 1.5 °C and the humidity rises 4 %RH for 10 min, each approached with a 2-minute time constant), and sensor
    /// noise (σ 0.02 °C, 0.1 %RH, 0.03 hPa), at a BME280's resolution. Seeded: every run gets the same day.
    /// </summary>
    private static double[][] Signal()
    {
        var random = new Random(42);
        double Noise(double sigma) => sigma * Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        var samples = new double[Day][];
        double cloud = 0;
        for (int t = 0; t < Day; t++)
        {
            double day = Math.Sin(2 * Math.PI * ((t / (double)Day) - 0.25));
            bool shaded = t >= 9 * 3600 && t < 17 * 3600 && (t - (9 * 3600)) % 2400 < 600;
            cloud += ((shaded ? 1 : 0) - cloud) / 120;
            samples[t] =
            [
                Math.Round(22 + (10 * day) - (1.5 * cloud) + Noise(0.02), 2),
                Math.Round(60 - (20 * day) + (4 * cloud) + Noise(0.1), 1),
                Math.Round(1013.25 + (1.5 * Math.Sin(2 * Math.PI * t / (Day / 2.0))) + Noise(0.03), 2),
            ];
        }

        return samples;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task WaitForPortAsync(int port)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, port).ConfigureAwait(false);
                return;
            }
            catch (SocketException) when (watch.Elapsed < TimeSpan.FromSeconds(10))
            {
                await Task.Delay(50).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Bytes this process caused to be sent to the storage layer (Linux task I/O accounting).</summary>
    private static long WriteBytes()
    {
        foreach (string line in File.ReadLines("/proc/self/io"))
        {
            if (line.StartsWith("write_bytes:", StringComparison.Ordinal))
            {
                return long.Parse(line.AsSpan("write_bytes:".Length).Trim(), CultureInfo.InvariantCulture);
            }
        }

        throw new InvalidOperationException("/proc/self/io has no write_bytes (kernel without task I/O accounting)");
    }
}

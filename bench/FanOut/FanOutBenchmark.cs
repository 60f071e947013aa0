using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Diode.Edge.Agent.Configuration;
using Diode.Edge.Agent.Streams;
using Diode.Edge.Sensors;
using Diode.Edge.Sensors.Simulated;
using MQTTnet;

namespace Diode.Edge.Bench.FanOut;

/// <summary>
/// One publisher at 10 frames/s; N consumers on loopback; the real diode-edge agent (SSE) against a real mosquitto
/// (MQTT, QoS 0) with the same frames, in the same run. Reports delivered frames/s, server CPU seconds per million
/// delivered frames, server RSS and end-to-end latency, and the ratios agent/mosquitto.
/// </summary>
public static class FanOutBenchmark
{
    private const string Topic = "diode/bench";
    private const int FramesPerSecond = 10;
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static async Task<int> RunAsync(int[] consumerCounts, int seconds, string jsonPath)
    {
        var results = new List<FanOutResult>();
        using var work = new TempDir();
        foreach (int n in consumerCounts)
        {
            results.Add(await MeasureAgentAsync(work.Path, n, seconds).ConfigureAwait(false));
            Print(results);
            results.Add(await MeasureMosquittoAsync(work.Path, n, seconds).ConfigureAwait(false));
            Print(results);
        }

        var summary = consumerCounts.Select(n =>
        {
            var a = results.Single(r => r.Server == "diode-edge" && r.Consumers == n);
            var m = results.Single(r => r.Server == "mosquitto" && r.Consumers == n);
            return new
            {
                consumers = n,
                agent = a,
                mosquitto = m,
                deliveredRatio = a.DeliveredPerSecond / m.DeliveredPerSecond,
                cpuPerFrameRatio = a.CpuSecondsPerMillionFrames / m.CpuSecondsPerMillionFrames,
            };
        }).ToList();
        await File.WriteAllTextAsync(jsonPath, JsonSerializer.Serialize(new { framesPerSecond = FramesPerSecond, seconds, results = summary }, Indented)).ConfigureAwait(false);
        Console.WriteLine($"wrote {jsonPath}");
        return 0;
    }

    private static void Print(List<FanOutResult> results)
    {
        Console.WriteLine();
        Console.WriteLine("| consumers | server | connected | delivered/s (expected) | CPU s per 1M frames | RSS MB | p50 ms | p99 ms |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|");
        foreach (var r in results)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {r.Consumers} | {r.Server} | {r.Connected} | {r.DeliveredPerSecond:F0} ({r.ExpectedPerSecond:F0}) | {r.CpuSecondsPerMillionFrames:F1} | {r.RssMegabytes:F0} | {r.LatencyP50Ms:F1} | {r.LatencyP99Ms:F1} |"));
        }

        foreach (var group in results.GroupBy(r => r.Consumers).Where(g => g.Count() == 2))
        {
            var a = group.Single(r => r.Server == "diode-edge");
            var m = group.Single(r => r.Server == "mosquitto");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{group.Key} consumers: delivered/s agent/mosquitto = {a.DeliveredPerSecond / m.DeliveredPerSecond:F2}, CPU per frame agent/mosquitto = {a.CpuSecondsPerMillionFrames / m.CpuSecondsPerMillionFrames:F2}"));
        }
    }

    private static async Task<FanOutResult> MeasureAgentAsync(string work, int n, int seconds)
    {
        int port = FreePort();
        string config = Path.Combine(work, "agent.json");
        await File.WriteAllTextAsync(config, $$"""
            { "http": { "port": {{port}}, "maxRequestsPerSecond": 1000000 }, "identity": { "keyPath": "{{work}}/device.key" },
              "store": { "enabled": false }, "log": { "level": "warning" },
              "hub": { "maxConsumers": 30000, "maxConsumersPerStream": 30000 },
              "sensors": [ { "type": "simulated", "name": "bench", "interval": "100ms" } ] }
            """).ConfigureAwait(false);
        // The shipped Native AOT binary when bench/fanout.sh names it (DIODE_EDGE_BINARY), else the JIT build next to the bench.
        string? binary = Environment.GetEnvironmentVariable("DIODE_EDGE_BINARY");
        var psi = new ProcessStartInfo(binary ?? "dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        if (binary is null)
        {
            psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "diode-edge.dll"));
        }

        psi.ArgumentList.Add("run");
        psi.ArgumentList.Add("--config");
        psi.ArgumentList.Add(config);
        using var server = Process.Start(psi)!;
        _ = server.StandardOutput.ReadToEndAsync();
        _ = server.StandardError.ReadToEndAsync();
        try
        {
            await WaitForPortAsync(port).ConfigureAwait(false);
            var latency = new LatencyHistogram();
            var uri = new Uri($"http://127.0.0.1:{port}/streams/bench/events");
            var consumers = Enumerable.Range(0, n).Select(_ => new SseConsumer(uri, latency)).ToList();
            using var stop = new CancellationTokenSource();
            int connected = await ConnectAllAsync(consumers.Select(c => (Func<Task>)(() => c.ConnectAsync(stop.Token)))).ConfigureAwait(false);
            var running = consumers.Select(c => c.RunAsync(stop.Token)).ToList();
            var result = await MeasureAsync("diode-edge", n, connected, seconds, server.Id, latency, on => consumers.ForEach(c => c.Measuring = on), () => consumers.Sum(c => c.Frames)).ConfigureAwait(false);
            await stop.CancelAsync().ConfigureAwait(false);
            foreach (var c in consumers)
            {
                await c.DisposeAsync().ConfigureAwait(false);
            }

            await Task.WhenAll(running).ConfigureAwait(false);
            return result;
        }
        finally
        {
            server.Kill();
            await server.WaitForExitAsync().ConfigureAwait(false);
        }
    }

    private static async Task<FanOutResult> MeasureMosquittoAsync(string work, int n, int seconds)
    {
        int port = FreePort();
        string config = Path.Combine(work, "mosquitto.conf");
        await File.WriteAllTextAsync(config, $"listener {port} 127.0.0.1\nallow_anonymous true\nmax_connections -1\npersistence false\nmax_queued_messages 256\nlog_dest none\n").ConfigureAwait(false);
        var psi = new ProcessStartInfo("mosquitto") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(config);
        using var server = Process.Start(psi) ?? throw new InvalidOperationException("cannot start mosquitto (apt-get install mosquitto)");
        _ = server.StandardOutput.ReadToEndAsync();
        _ = server.StandardError.ReadToEndAsync();
        using var publisher = new MqttClientFactory().CreateMqttClient();
        using var stop = new CancellationTokenSource();
        try
        {
            await WaitForPortAsync(port).ConfigureAwait(false);
            await publisher.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", port).Build()).ConfigureAwait(false);
            var publishing = PublishAsync(publisher, stop.Token);
            var latency = new LatencyHistogram();
            var consumers = Enumerable.Range(0, n).Select(_ => new MqttConsumer(port, Topic, latency)).ToList();
            int connected = await ConnectAllAsync(consumers.Select(c => (Func<Task>)(() => c.ConnectAsync(stop.Token)))).ConfigureAwait(false);
            var running = consumers.Select(c => c.RunAsync(stop.Token)).ToList();
            var result = await MeasureAsync("mosquitto", n, connected, seconds, server.Id, latency, on => consumers.ForEach(c => c.Measuring = on), () => consumers.Sum(c => c.Frames)).ConfigureAwait(false);
            await stop.CancelAsync().ConfigureAwait(false);
            await publishing.ConfigureAwait(false);
            await Task.WhenAll(consumers.Select(c => c.DisposeAsync().AsTask())).ConfigureAwait(false);
            await Task.WhenAll(running).ConfigureAwait(false);
            return result;
        }
        finally
        {
            server.Kill();
            await server.WaitForExitAsync().ConfigureAwait(false);
        }
    }

    /// <summary>The same frames the agent serves: the hub's encoder over the simulated sensor, 10 per second, QoS 0.</summary>
    private static async Task PublishAsync(IMqttClient publisher, CancellationToken cancellationToken)
    {
        var hub = new StreamHub(new HubOptions { RingSize = 4 }, TimeProvider.System);
        var stream = hub.Register(new StreamDescriptor("bench", "simulated", [Quantity.Temperature, Quantity.RelativeHumidity, Quantity.Pressure], TimeSpan.FromMilliseconds(100)));
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1.0 / FramesPerSecond));
        long k = 0;
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                var frame = stream.Publish(new Reading(DateTimeOffset.UtcNow, SimulatedSensor.Sample(1, k++)));
                await publisher.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(Topic).WithPayload(frame.Json.ToArray()).Build(), cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static async Task<FanOutResult> MeasureAsync(string name, int n, int connected, int seconds, int serverPid, LatencyHistogram latency, Action<bool> measuring, Func<long> frames)
    {
        await Task.Delay(TimeSpan.FromSeconds(3)).ConfigureAwait(false);
        double cpu0 = ProcessStats.CpuSeconds(serverPid);
        var watch = Stopwatch.StartNew();
        measuring(true);
        await Task.Delay(TimeSpan.FromSeconds(seconds)).ConfigureAwait(false);
        measuring(false);
        double elapsed = watch.Elapsed.TotalSeconds;
        double cpu = ProcessStats.CpuSeconds(serverPid) - cpu0;
        long delivered = frames();
        Console.Error.WriteLine($"{name} with {n} consumers: {delivered} frames in {elapsed:F1} s, server CPU {cpu:F2} s");
        return new FanOutResult(
            name,
            n,
            connected,
            delivered / elapsed,
            (double)n * FramesPerSecond,
            delivered == 0 ? double.NaN : cpu / delivered * 1e6,
            ProcessStats.RssBytes(serverPid) / 1e6,
            latency.Percentile(0.50),
            latency.Percentile(0.99));
    }

    private static async Task<int> ConnectAllAsync(IEnumerable<Func<Task>> connects)
    {
        int connected = 0;
        foreach (var batch in connects.Chunk(250))
        {
            var tasks = batch.Select(c => c()).ToList();
            try
            {
                await Task.WhenAll(tasks).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is SocketException or IOException or MQTTnet.Exceptions.MqttCommunicationException or OperationCanceledException)
            {
            }

            connected += tasks.Count(t => t.IsCompletedSuccessfully);
        }

        return connected;
    }

    private static async Task WaitForPortAsync(int port)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, port).ConfigureAwait(false);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100).ConfigureAwait(false);
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

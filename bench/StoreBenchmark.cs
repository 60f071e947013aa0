using System.Diagnostics;
using System.Globalization;
using Diode.Edge.Agent.Configuration;
using Diode.Edge.Agent.Store;
using Diode.Edge.Agent.Streams;
using Diode.Edge.Sensors;
using Diode.Edge.Sensors.Simulated;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace Diode.Edge.Bench;

/// <summary>
/// The store on this machine's disk: frames/s with the agent's batching against one transaction per frame (the peer,
/// same run), and bytes the process wrote to storage per frame (/proc/self/io write_bytes) for a Pi-like load.
/// </summary>
public static class StoreBenchmark
{
    public static int Run(string directory)
    {
        Directory.CreateDirectory(directory);
        var frames = MakeFrames(20_000);
        Console.WriteLine($"store benchmark in {directory} (synchronous=FULL, WAL), payload {frames[0].Payload.Length} B, frame {frames[0].Json.Length} B");

        var batched = Measure(directory, "batched", frames, batchSize: 500);
        var single = Measure(directory, "per-frame", frames[..2_000], batchSize: 1);
        Console.WriteLine($"batched (500 frames/commit): {batched.FramesPerSecond,10:F0} frames/s, {batched.BytesPerFrame,8:F0} B written/frame");
        Console.WriteLine($"one commit per frame (peer): {single.FramesPerSecond,10:F0} frames/s, {single.BytesPerFrame,8:F0} B written/frame");
        Console.WriteLine($"ratio batched/per-frame:     {batched.FramesPerSecond / single.FramesPerSecond,10:F1}x throughput, {single.BytesPerFrame / batched.BytesPerFrame:F1}x fewer bytes per frame");

        // A Pi-like load: 4 streams at 1 frame/s, for several flush intervals (the default is store.flushInterval: 10s).
        foreach (int flushSeconds in new[] { 1, 2, 5, 10, 30 })
        {
            int perCommit = 4 * flushSeconds;
            var pi = Measure(directory, "pi", frames[..Math.Min(frames.Length, perCommit * 300)], batchSize: perCommit);
            double commitsPerHour = 3600.0 / flushSeconds;
            double bytesPerHour = pi.BytesPerFrame * 4 * 3600;
            Console.WriteLine($"Pi load, 4 streams x 1 frame/s, flush every {flushSeconds,2} s ({perCommit,3} frames/commit): {pi.BytesPerFrame,6:F0} B written/frame, "
                + $"{commitsPerHour,5:F0} commits/h, {bytesPerHour / 1e6,6:F1} MB/h, {bytesPerHour * 24 / 1e9,5:F2} GB/day written");
        }
        return 0;
    }

    private static (double FramesPerSecond, double BytesPerFrame) Measure(string directory, string name, Frame[] frames, int batchSize)
    {
        string path = Path.Combine(directory, $"bench-{name}.db");
        foreach (string f in new[] { path, path + "-wal", path + "-shm" })
        {
            File.Delete(f);
        }

        using var store = new FrameStore(new StoreOptions { Path = path }, TimeProvider.System, NullLogger<FrameStore>.Instance);
        store.Open();
        long before = WriteBytes();
        var watch = Stopwatch.StartNew();
        for (int i = 0; i < frames.Length; i += batchSize)
        {
            store.Append(frames.AsSpan(i, Math.Min(batchSize, frames.Length - i)).ToArray());
        }

        watch.Stop();
        long written = WriteBytes() - before;
        SqliteConnection.ClearAllPools();
        return (frames.Length / watch.Elapsed.TotalSeconds, written / (double)frames.Length);
    }

    private static Frame[] MakeFrames(int count)
    {
        var hub = new StreamHub(new HubOptions { RingSize = 16 }, TimeProvider.System);
        var streams = Enumerable.Range(0, 4).Select(i => hub.Register(new StreamDescriptor($"s{i}", "simulated", [Quantity.Temperature, Quantity.RelativeHumidity, Quantity.Pressure], TimeSpan.FromSeconds(1)))).ToArray();
        var start = DateTimeOffset.UtcNow;
        return [.. Enumerable.Range(0, count).Select(i => streams[i % 4].Publish(new Reading(start.AddMilliseconds(i * 250), SimulatedSensor.Sample(i % 4, i / 4))))];
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

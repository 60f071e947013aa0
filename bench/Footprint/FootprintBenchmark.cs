using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Diode.Edge.Bench.FanOut;

namespace Diode.Edge.Bench.Footprint;

/// <summary>
/// What the agent costs a small Pi, in one run: the Native AOT binary that ships against the ReadyToRun
/// build of the same commit, and a hello-world Native AOT console program as the floor. Per agent build: idle RSS with
/// the packaged configuration and two simulated sensors, RSS with 100 SSE consumers, exec to the first signed frame
/// served, <c>config check</c> wall time (best of five) and the size on disk; the ratios AOT/ReadyToRun, and the first
/// frame and <c>config check</c> against the hello world's exec-to-exit. bench/footprint.sh builds the three.
/// </summary>
public static class FootprintBenchmark
{
    private static readonly string[] Sensors = ["--set", "sensors[0].type=simulated", "--set", "sensors[0].name=env", "--set", "sensors[0].interval=1s",
        "--set", "sensors[1].type=simulated", "--set", "sensors[1].name=soil", "--set", "sensors[1].interval=1s"];

    public static async Task<int> RunAsync(string aot, string readyToRun, string hello, string packagedConfig)
    {
        double helloMs = Best(5, () => Exec(hello, []));
        await WarmUpAsync().ConfigureAwait(false);
        var results = new List<(string Name, Footprint Figures)>();
        foreach (var (name, dir) in new[] { ("Native AOT", aot), ("ReadyToRun", readyToRun) })
        {
            results.Add((name, await MeasureAsync(Path.Combine(dir, "diode-edge"), packagedConfig).ConfigureAwait(false)));
        }

        var (a, r) = (results[0].Figures, results[1].Figures);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"hello-world Native AOT console program, exec to exit: {helloMs:F1} ms (best of 5)"));
        Console.WriteLine("| | Native AOT | ReadyToRun | AOT / ReadyToRun |");
        Console.WriteLine("|---|---|---|---|");
        Row("idle RSS, packaged config, 2 simulated sensors (MB)", a.IdleRssMb, r.IdleRssMb, "F1");
        Row("RSS with 100 SSE consumers (MB)", a.ConsumersRssMb, r.ConsumersRssMb, "F1");
        Row("exec to first signed frame, first start (ms)", a.FirstFrameMs, r.FirstFrameMs, "F0");
        Row("exec to first signed frame, restart (ms, best of 3)", a.RestartFirstFrameMs, r.RestartFirstFrameMs, "F0");
        Row("config check, wall (ms, best of 5)", a.ConfigCheckMs, r.ConfigCheckMs, "F0");
        Row("size on disk (MB)", a.DiskMb, r.DiskMb, "F1");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"against the hello world: first frame {a.FirstFrameMs / helloMs:F1}x, on restart {a.RestartFirstFrameMs / helloMs:F1}x (ReadyToRun {r.FirstFrameMs / helloMs:F1}x, {r.RestartFirstFrameMs / helloMs:F1}x), config check {a.ConfigCheckMs / helloMs:F1}x (ReadyToRun {r.ConfigCheckMs / helloMs:F1}x)"));
        return 0;

        static void Row(string what, double aotValue, double r2rValue, string format) =>
            Console.WriteLine($"| {what} | {aotValue.ToString(format, CultureInfo.InvariantCulture)} | {r2rValue.ToString(format, CultureInfo.InvariantCulture)} | {(aotValue / r2rValue).ToString("F2", CultureInfo.InvariantCulture)} |");
    }

    private static async Task<Footprint> MeasureAsync(string binary, string packagedConfig)
    {
        using var work = new TempDir();
        int port = FreePort();
        string config = Path.Combine(work.Path, "config.json");
        await File.WriteAllTextAsync(config, (await File.ReadAllTextAsync(packagedConfig).ConfigureAwait(false)).Replace("/var/lib/diode-edge/", work.Path + "/", StringComparison.Ordinal)).ConfigureAwait(false);
        string[] args = ["run", "--config", config, "--set", $"http.port={port}", .. Sensors];

        // Restarts first (each creates nothing new after the first: key, store), then the run that is measured for memory.
        double firstStartMs = 0;
        var restarts = new List<double>();
        for (int i = 0; i < 4; i++)
        {
            var started = Stopwatch.StartNew();
            using var run = Start(binary, args);
            double ms = await FirstFrameAsync(port, started).ConfigureAwait(false);
            run.Kill();
            await run.WaitForExitAsync().ConfigureAwait(false);
            if (i == 0)
            {
                firstStartMs = ms;
            }
            else
            {
                restarts.Add(ms);
            }
        }

        using var agent = Start(binary, args);
        await FirstFrameAsync(port, Stopwatch.StartNew()).ConfigureAwait(false);

        await Task.Delay(TimeSpan.FromSeconds(15)).ConfigureAwait(false);
        double idle = ProcessStats.RssBytes(agent.Id) / 1048576.0;

        var consumers = new List<Socket>();
        for (int i = 0; i < 100; i++)
        {
            consumers.Add(await ConnectAsync(port, TimeSpan.FromSeconds(10)).ConfigureAwait(false));
        }

        using var stop = new CancellationTokenSource();
        var draining = consumers.Select(c => DrainAsync(c, stop.Token)).ToList();
        await Task.Delay(TimeSpan.FromSeconds(15)).ConfigureAwait(false);
        double withConsumers = ProcessStats.RssBytes(agent.Id) / 1048576.0;
        await stop.CancelAsync().ConfigureAwait(false);
        consumers.ForEach(c => c.Dispose());
        await Task.WhenAll(draining).ConfigureAwait(false);
        agent.Kill();
        await agent.WaitForExitAsync().ConfigureAwait(false);

        double check = Best(5, () => Exec(binary, ["config", "check", "--config", config]));
        double disk = Directory.EnumerateFiles(Path.GetDirectoryName(binary)!, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length) / 1048576.0;
        return new Footprint(idle, withConsumers, firstStartMs, restarts.Min(), check, disk);
    }

    private static Process Start(string binary, string[] args)
    {
        var psi = new ProcessStartInfo(binary) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string arg in args)
        {
            psi.ArgumentList.Add(arg);
        }

        var process = Process.Start(psi)!;
        _ = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        return process;
    }

    /// <summary>Wall time of one run to exit, in milliseconds; a non-zero exit is an error.</summary>
    private static double Exec(string binary, string[] args)
    {
        var watch = Stopwatch.StartNew();
        using var process = Start(binary, args);
        process.WaitForExit();
        double ms = watch.Elapsed.TotalMilliseconds;
        return process.ExitCode == 0 ? ms : throw new InvalidOperationException($"{binary} {string.Join(' ', args)}: exit {process.ExitCode}");
    }

    private static double Best(int runs, Func<double> run) => Enumerable.Range(0, runs).Min(_ => run());

    /// <summary>Connects one SSE consumer to the agent's stream and sends the request.</summary>
    private static async Task<Socket> ConnectAsync(int port, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                await socket.ConnectAsync(IPAddress.Loopback, port).ConfigureAwait(false);
                await socket.SendAsync(Encoding.ASCII.GetBytes($"GET /streams/env/events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAccept: text/event-stream\r\n\r\n")).ConfigureAwait(false);
                return socket;
            }
            catch (SocketException) when (deadline.Elapsed < timeout)
            {
                socket.Dispose();
                await Task.Delay(2).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Exec to the first signed frame served: <c>GET /streams/env/history?limit=1</c> polled every 2 ms until it holds a
    /// frame (a live SSE consumer would wait for the next sample instead, up to an interval later). The poller's own
    /// code is compiled and warmed before (<see cref="WarmUpAsync"/>), so its first use does not count as the agent's.
    /// </summary>
    private static async Task<double> FirstFrameAsync(int port, Stopwatch sinceExec)
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        while (sinceExec.Elapsed < TimeSpan.FromSeconds(60))
        {
            try
            {
                string history = await http.GetStringAsync("/streams/env/history?limit=1").ConfigureAwait(false);
                if (history.Contains("\"sig\"", StringComparison.Ordinal))
                {
                    return sinceExec.Elapsed.TotalMilliseconds;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(2).ConfigureAwait(false);
        }

        throw new TimeoutException("no frame within 60 s");
    }

    /// <summary>Runs <see cref="FirstFrameAsync"/> once against a stand-in that answers with a frame at once.</summary>
    private static async Task WarmUpAsync()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var serving = Task.Run(async () =>
        {
            byte[] answer = Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 10\r\nConnection: close\r\n\r\n[{\"sig\":1}]");
            using var client = await listener.AcceptSocketAsync().ConfigureAwait(false);
            var buffer = new byte[4096];
            await client.ReceiveAsync(buffer).ConfigureAwait(false);
            await client.SendAsync(answer).ConfigureAwait(false);
            client.Shutdown(SocketShutdown.Both);
        });
        await FirstFrameAsync(port, Stopwatch.StartNew()).ConfigureAwait(false);
        await serving.ConfigureAwait(false);
        listener.Stop();
    }

    private static async Task DrainAsync(Socket socket, CancellationToken stop)
    {
        var buffer = new byte[4096];
        try
        {
            while (await socket.ReceiveAsync(buffer, stop).ConfigureAwait(false) > 0)
            {
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

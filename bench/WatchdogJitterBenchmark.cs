using System.Diagnostics;
using Diode.Edge.Watchdog;
using Microsoft.Extensions.Logging.Abstractions;

namespace Diode.Edge.Bench;

/// <summary>
/// How regular the watchdog pets are: the pet loop with a 100 ms interval on a simulated device, idle, with both cores
/// saturated by stress-ng, and with the thread pool flooded by blocking work. Reports the deviation of each interval
/// from 100 ms (p50, p99, p99.9, max); the target is p99.9 under 50 ms.
/// </summary>
public static class WatchdogJitterBenchmark
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    public static async Task<int> RunAsync(int seconds)
    {
        Console.WriteLine($"pet interval {Interval.TotalMilliseconds} ms, {seconds} s per load; deviation of each interval from it:");
        Console.WriteLine("| load | pets | p50 ms | p99 ms | p99.9 ms | max ms |");
        Console.WriteLine("|---|---|---|---|---|---|");
        await MeasureAsync("idle", seconds, () => () => { }).ConfigureAwait(false);
        await MeasureAsync("both cores saturated (stress-ng --cpu 2)", seconds, StressNg).ConfigureAwait(false);
        await MeasureAsync("thread pool flooded with blocking work", seconds, FloodThreadPool).ConfigureAwait(false);
        return 0;
    }

    private static async Task MeasureAsync(string load, int seconds, Func<Action> startLoad)
    {
        var gate = new HealthGate(TimeProvider.System);
        SimulatedWatchdogDevice? device = null;
        string name = "jitter-" + load;
        var options = new WatchdogOptions { Enabled = true, Device = "simulated", Timeout = TimeSpan.FromSeconds(10), PetInterval = Interval, Grace = TimeSpan.FromSeconds(30) };
        var service = new WatchdogService(options, gate, TimeProvider.System, NullLogger<WatchdogService>.Instance, open: _ => device = SimulatedWatchdogDevice.Open(TimeProvider.System, name));
        await service.StartAsync(CancellationToken.None).ConfigureAwait(false);
        var stopLoad = startLoad();
        await Task.Delay(TimeSpan.FromSeconds(seconds)).ConfigureAwait(false);
        stopLoad();
        await service.StopAsync(CancellationToken.None).ConfigureAwait(false);
        var pets = device!.Pets;
        var deviations = pets.Zip(pets.Skip(1), (a, b) => Math.Abs((b - a - Interval).TotalMilliseconds)).Order().ToList();
        double P(double p) => deviations[Math.Min(deviations.Count - 1, (int)(deviations.Count * p))];
        Console.WriteLine($"| {load} | {pets.Count} | {P(0.5):F2} | {P(0.99):F2} | {P(0.999):F2} | {deviations[^1]:F2} |");
    }

    private static Action StressNg()
    {
        var psi = new ProcessStartInfo("stress-ng") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string arg in new[] { "--cpu", "2", "--timeout", "600s", "--quiet" })
        {
            psi.ArgumentList.Add(arg);
        }

        var process = Process.Start(psi) ?? throw new InvalidOperationException("stress-ng not found: apt-get install stress-ng");
        return () =>
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            process.Dispose();
        };
    }

    private static Action FloodThreadPool()
    {
        var stop = new CancellationTokenSource();
        for (int i = 0; i < 200; i++)
        {
            _ = Task.Run(() =>
            {
                while (!stop.IsCancellationRequested)
                {
                    Thread.Sleep(50);
                    Thread.SpinWait(100_000);
                }
            });
        }

        return () =>
        {
            stop.Cancel();
            stop.Dispose();
        };
    }
}

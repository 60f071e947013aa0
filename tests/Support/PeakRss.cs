using System.Globalization;

namespace Diode.Edge.Tests.Support;

/// <summary>
/// Samples another process's resident memory every 20 ms while an attack runs and records the worst growth over the
/// level before it, so each hostile input's cost is a figure (artifacts/hostile/figures.txt) as well as an assertion.
/// </summary>
public sealed class PeakRss : IAsyncDisposable
{
    private static readonly Lock FiguresLock = new();
    private readonly int _pid;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sampler;
    private long _peak;

    private PeakRss(int pid)
    {
        _pid = pid;
        Before = Read(pid);
        _peak = Before;
        _sampler = SampleAsync();
    }

    public long Before { get; }

    /// <summary>The highest resident size seen minus the one before the attack.</summary>
    public long Growth => Interlocked.Read(ref _peak) - Before;

    public static PeakRss Watch(int pid) => new(pid);

    /// <summary>Resident memory of <paramref name="pid"/> in bytes (VmRSS).</summary>
    public static long Read(int pid)
    {
        foreach (string line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture) * 1024;
            }
        }

        return 0;
    }

    /// <summary>Stops sampling, writes the figure under <paramref name="input"/> and returns the growth.</summary>
    public async Task<long> RecordAsync(string input)
    {
        await _stop.CancelAsync();
        await _sampler;
        Figure(input, string.Create(CultureInfo.InvariantCulture, $"+{Growth / 1048576.0:0.0} MB resident (from {Before / 1048576.0:0.0} MB)"));
        return Growth;
    }

    /// <summary>Appends one hostile input's figure to artifacts/hostile/figures.txt.</summary>
    public static void Figure(string input, string figure)
    {
        string dir = Path.Combine(RepoRoot.Path, "artifacts", "hostile");
        lock (FiguresLock)
        {
            Directory.CreateDirectory(dir);
            File.AppendAllText(Path.Combine(dir, "figures.txt"), $"{input}\t{figure}\n");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _sampler;
        _stop.Dispose();
    }

    private async Task SampleAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                long now = Read(_pid);
                if (now > Interlocked.Read(ref _peak))
                {
                    Interlocked.Exchange(ref _peak, now);
                }

                await Task.Delay(20, _stop.Token);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
            // Stopped, or the process is gone.
        }
    }
}

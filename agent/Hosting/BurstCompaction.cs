using System.Diagnostics;
using Diode.Edge.Agent.Streams;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Diode.Edge.Agent.Hosting;

/// <summary>
/// After a burst of consumers (<see cref="BurstCompactionPolicy"/>), one full, compacting, decommitting collection.
/// Each consumer's request leaves garbage behind once it is served by the socket fan-out (about 10 KB: Kestrel's request
/// state), and the steady fan-out then allocates almost nothing, so no later collection would take that garbage:
/// measured at 10,000 consumers, the heap kept well over its live size for as long as they stayed. One blocking
/// collection per burst hands it back (a pause of tens of milliseconds at 10,000 consumers on x64).
/// </summary>
internal sealed partial class BurstCompaction(StreamHub hub, TimeProvider timeProvider, ILogger<BurstCompaction> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    private readonly BurstCompactionPolicy _policy = new();

    /// <summary>Compactions done so far.</summary>
    public int Compactions { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, timeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                if (_policy.ShouldCompact(hub.SubscriptionsOpened))
                {
                    Compact();
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void Compact()
    {
        long before = GC.GetGCMemoryInfo().HeapSizeBytes;
        long started = Stopwatch.GetTimestamp();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        var pause = Stopwatch.GetElapsedTime(started);
        long after = GC.GetGCMemoryInfo().HeapSizeBytes;
        Compactions++;
        LogCompacted(logger, hub.ConsumerCount, before / (1024.0 * 1024.0), after / (1024.0 * 1024.0), pause.TotalMilliseconds);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "memory: compacted after a burst of consumers ({Consumers} now): GC heap {Before:F1} MB -> {After:F1} MB, paused {PauseMs:F0} ms")]
    private static partial void LogCompacted(ILogger logger, int consumers, double before, double after, double pauseMs);
}

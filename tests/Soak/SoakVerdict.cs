using System.Globalization;
using System.Text;
using Diode.Edge.Tests.Support;

namespace Diode.Edge.Tests.Soak;

/// <summary>
/// What a series of samples says about growth after the warm-up: the types whose live count rises census after census,
/// the live heap, file descriptors and threads, each with its slope per hour (least squares over the samples). The
/// objects only the threads' thread statics keep (<see cref="HeapCensus.ThreadOwnedByType"/>) follow the thread pool's
/// workers, not a leak: they are reported next to the threads, which the threads rule judges, and not by the type rule.
/// </summary>
public sealed class SoakVerdict
{
    /// <summary>A type grows when it never falls from one census to the next and ends this far above its first count.</summary>
    public const int MinTypeGrowth = 24;

    /// <summary>...or this fraction above it, whichever is larger.</summary>
    public const double MinTypeGrowthFraction = 0.03;

    /// <summary>The live heap may end at most this fraction above its first census (and 128 KB, for a small heap).</summary>
    public const double MaxHeapGrowthFraction = 0.05;

    private SoakVerdict(string name, IReadOnlyList<SoakSample> samples)
    {
        Name = name;
        Samples = samples;
        var hours = samples.Select(s => s.Elapsed.TotalHours).ToArray();
        HeapBytesPerHour = Slope(hours, [.. samples.Select(s => (double)s.Census.Bytes)]);
        ObjectsPerHour = Slope(hours, [.. samples.Select(s => (double)s.Census.Objects)]);
        RssBytesPerHour = Slope(hours, [.. samples.Select(s => (double)s.Gauges.RssBytes)]);
        FdsPerHour = Slope(hours, [.. samples.Select(s => (double)s.Gauges.FileDescriptors)]);
        ThreadsPerHour = Slope(hours, [.. samples.Select(s => (double)s.Gauges.Threads)]);

        var types = samples.SelectMany(s => s.Census.ByType.Keys).Distinct(StringComparer.Ordinal);
        var grown = types
            .Select(t => (Type: t, Counts: samples.Select(s => s.Census.CountOf(t)).ToArray()))
            .Where(t => Grows(t.Counts))
            .Select(t => (t.Type, Text: $"{t.Type}: {string.Join(" → ", t.Counts)} ({Slope(hours, [.. t.Counts.Select(c => (double)c)]):+0;-0} per hour)"))
            .ToList();
        GrowingTypes = [.. grown.Where(t => !IsReflectionCache(t.Type)).Select(t => t.Text)];
        GrownReflectionCaches = [.. grown.Where(t => IsReflectionCache(t.Type)).Select(t => t.Text)];
    }

    public string Name { get; }

    public IReadOnlyList<SoakSample> Samples { get; }

    public IReadOnlyList<string> GrowingTypes { get; }

    /// <summary>
    /// Reflection's own objects that rose: the runtime makes one per member the first time something reflects over it
    /// or renders a stack frame of it (an exception's text reads the assembly's PDB with a <c>MetadataReader</c>), and
    /// keeps it for the life of the process. They are bounded by the program's code, not by time, so they are reported
    /// and left to the heap rule instead of the type rule. Seen in CI: RuntimeMethodInfo 539 → 579 in the last of four
    /// intervals only, with one MetadataReader and 99 strings, flat before (a first use, not a trend).
    /// </summary>
    public IReadOnlyList<string> GrownReflectionCaches { get; }

    /// <summary>Reflection metadata the runtime caches per member (System.Reflection.*, RuntimeType).</summary>
    public static bool IsReflectionCache(string type) =>
        type.StartsWith("System.Reflection.", StringComparison.Ordinal) || type == "System.RuntimeType" || type.StartsWith("System.RuntimeType+", StringComparison.Ordinal);

    public double HeapBytesPerHour { get; }

    public double ObjectsPerHour { get; }

    public double RssBytesPerHour { get; }

    public double FdsPerHour { get; }

    public double ThreadsPerHour { get; }

    public SoakSample First => Samples[0];

    public SoakSample Last => Samples[^1];

    public bool HeapGrew => Last.Census.Bytes > First.Census.Bytes * (1 + MaxHeapGrowthFraction) + 128 * 1024;

    /// <summary>Descriptors or threads that rose at every sample (a leak), beyond a few that come and go with the client's pipes and the pool.</summary>
    public bool FdsGrew => Rises([.. Samples.Select(s => (long)s.Gauges.FileDescriptors)], 6);

    public bool ThreadsGrew => Rises([.. Samples.Select(s => (long)s.Gauges.Threads)], 6);

    public static SoakVerdict Of(string name, IReadOnlyList<SoakSample> samples) => new(name, samples);

    public string Describe()
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"{Name}: {Samples.Count} censuses from {First.Elapsed.TotalMinutes:0.0} to {Last.Elapsed.TotalMinutes:0.0} min");
        foreach (var s in Samples)
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"  {s.Elapsed.TotalMinutes,5:0.0} min  live heap {s.Census.Bytes / 1024.0,8:0} KB  objects {s.Census.Objects,7}  RSS {s.Gauges.RssBytes / 1048576.0,6:0.0} MB  fds {s.Gauges.FileDescriptors,4}  threads {s.Gauges.Threads,3} " +
                $"(thread statics {s.Census.ThreadStatics,3}, thread-owned objects {s.Census.ThreadOwnedObjects,5}, Object[] by type {s.Census.CountOf("System.Object[]"),5})");
        }

        text.AppendLine(CultureInfo.InvariantCulture,
            $"  per hour: live heap {HeapBytesPerHour / 1024:+0;-0} KB, objects {ObjectsPerHour:+0;-0}, RSS {RssBytesPerHour / 1048576:+0.0;-0.0} MB, fds {FdsPerHour:+0.0;-0.0}, threads {ThreadsPerHour:+0.0;-0.0}");
        var largest = First.Census.ByType.Keys.Union(Last.Census.ByType.Keys)
            .Select(t => (Type: t, Bytes: Bytes(Last, t) - Bytes(First, t), Count: Last.Census.CountOf(t) - First.Census.CountOf(t)))
            .OrderByDescending(t => Math.Abs(t.Bytes)).Take(5);
        text.AppendLine("  largest changes first to last: " + string.Join("; ", largest.Select(t => string.Create(CultureInfo.InvariantCulture, $"{t.Type} {t.Bytes / 1024.0:+0.0;-0.0} KB ({t.Count:+0;-0})"))));
        var threadOwned = Samples.SelectMany(s => s.Census.ThreadOwnedByType.Keys).Distinct(StringComparer.Ordinal)
            .Select(t => (Type: t, Counts: Samples.Select(s => s.Census.ThreadOwnedCountOf(t)).ToArray()))
            .OrderByDescending(t => t.Counts.Max()).Take(5);
        text.AppendLine("  thread-owned, with the threads (not judged by type): " + string.Join("; ", threadOwned.Select(t => $"{t.Type} {string.Join(" → ", t.Counts)}")));
        foreach (string growing in GrowingTypes)
        {
            text.AppendLine("  growing: " + growing);
        }

        foreach (string cache in GrownReflectionCaches)
        {
            text.AppendLine("  reflection cache filled (bounded by the code; judged by the heap rule): " + cache);
        }

        return text.ToString();
    }

    private static long Bytes(SoakSample sample, string type) => sample.Census.ByType.TryGetValue(type, out var v) ? v.Bytes : 0;

    private static bool Grows(long[] counts)
    {
        for (int i = 1; i < counts.Length; i++)
        {
            if (counts[i] < counts[i - 1])
            {
                return false;
            }
        }

        return counts[^1] - counts[0] > Math.Max(MinTypeGrowth, counts[0] * MinTypeGrowthFraction);
    }

    private static bool Rises(long[] values, int allowance)
    {
        for (int i = 1; i < values.Length; i++)
        {
            if (values[i] <= values[i - 1])
            {
                return values[^1] - values[0] > allowance * 2;
            }
        }

        return values[^1] - values[0] > allowance;
    }

    private static double Slope(double[] x, double[] y)
    {
        double mx = x.Average(), my = y.Average();
        double num = 0, den = 0;
        for (int i = 0; i < x.Length; i++)
        {
            num += (x[i] - mx) * (y[i] - my);
            den += (x[i] - mx) * (x[i] - mx);
        }

        return den == 0 ? 0 : num / den;
    }
}

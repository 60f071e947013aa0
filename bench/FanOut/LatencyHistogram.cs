namespace Diode.Edge.Bench.FanOut;

/// <summary>A lock-free latency histogram in 0.1 ms buckets up to 10 s, shared by thousands of consumers.</summary>
public sealed class LatencyHistogram
{
    private readonly long[] _buckets = new long[100_001];

    public void Record(double milliseconds)
    {
        int bucket = (int)Math.Clamp(milliseconds * 10, 0, _buckets.Length - 1);
        Interlocked.Increment(ref _buckets[bucket]);
    }

    public long Count => _buckets.Sum();

    public double Percentile(double p)
    {
        long total = Count;
        if (total == 0)
        {
            return double.NaN;
        }

        long target = (long)Math.Ceiling(total * p);
        long seen = 0;
        for (int i = 0; i < _buckets.Length; i++)
        {
            seen += _buckets[i];
            if (seen >= target)
            {
                return i / 10.0;
            }
        }

        return double.NaN;
    }
}

using System.Diagnostics;

namespace Diode.Edge.Tests.Support;

/// <summary>
/// Measures how late the machine runs a thread that asks to wake every 20 ms: the longest overshoot seen while it ran.
/// A test of the agent's timing uses it to tell the agent being late (a product fault) from the whole machine being
/// late (a CI runner stalled by its neighbours), which the agent cannot help.
/// </summary>
public sealed class StallDetector : IDisposable
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(20);
    private readonly ManualResetEventSlim _stop = new();
    private readonly Thread _thread;
    private long _worstTicks;
    private long _totalTicks;

    public StallDetector()
    {
        _thread = new Thread(Watch) { IsBackground = true, Name = "stall detector", Priority = ThreadPriority.AboveNormal };
        _thread.Start();
    }

    /// <summary>The longest a 20 ms wait overshot by so far.</summary>
    public TimeSpan WorstStall => Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _worstTicks));

    /// <summary>All the overshoots of more than 5 ms added up: how long the machine ran no thread of ours when asked to.</summary>
    public TimeSpan TotalStall => Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _totalTicks));

    public void Dispose()
    {
        _stop.Set();
        _thread.Join();
        _stop.Dispose();
    }

    private void Watch()
    {
        long before = Stopwatch.GetTimestamp();
        // Waiting on the stop event (not sleeping) so Dispose ends the thread at once; the wait's own lateness is the measurement.
        while (!_stop.Wait(Tick))
        {
            long now = Stopwatch.GetTimestamp();
            long overshoot = now - before - (long)(Tick.TotalSeconds * Stopwatch.Frequency);
            if (overshoot > Stopwatch.Frequency / 200)
            {
                Interlocked.Add(ref _totalTicks, overshoot);
            }

            if (overshoot > Interlocked.Read(ref _worstTicks))
            {
                Interlocked.Exchange(ref _worstTicks, overshoot);
            }

            before = now;
        }
    }
}

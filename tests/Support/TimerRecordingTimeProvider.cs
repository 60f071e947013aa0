using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;

namespace Diode.Edge.Tests.Support;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that tells each timer created on it, with its due time, so a test advances the
/// clock only once the code under test waits (advancing before the timer exists would let the time pass unseen).
/// </summary>
public sealed class TimerRecordingTimeProvider : FakeTimeProvider
{
    private readonly Channel<TimeSpan> _timers = Channel.CreateUnbounded<TimeSpan>();

    public TimerRecordingTimeProvider()
        : base(new DateTimeOffset(2026, 12, 7, 6, 0, 0, TimeSpan.Zero))
    {
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        // Told once it exists: a test that advances the clock at once must move this timer.
        var timer = base.CreateTimer(callback, state, dueTime, period);
        _timers.Writer.TryWrite(dueTime);
        return timer;
    }

    /// <summary>The due time of the next timer created (waiting up to 10 s of real time for it).</summary>
    public async Task<TimeSpan> NextTimerAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        return await _timers.Reader.ReadAsync(timeout.Token);
    }

    /// <summary>True when a timer was created that no <see cref="NextTimerAsync"/> has taken yet.</summary>
    public bool HasNewTimer => _timers.Reader.Count > 0;
}

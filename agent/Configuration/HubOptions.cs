using System.ComponentModel;
using Diode.Edge.Agent.Configuration.Validation;

namespace Diode.Edge.Agent.Configuration;

/// <summary>The <c>hub</c> section: memory the stream hub may use.</summary>
internal sealed class HubOptions
{
    /// <summary>Frames kept per stream in memory for /latest, /history and SSE resume.</summary>
    [Description("Frames kept in memory per stream for /latest, /history and resume, 1 to 1000000.")]
    [Within(1, 1_000_000, Unit = "frames")]
    public int RingSize { get; set; } = 600;

    /// <summary>Frames queued per consumer; a consumer that falls further behind loses its oldest frames (and sees the gap).</summary>
    [Description("Frames queued per consumer, 1 to 100000; what happens to a consumer further behind is slowConsumer.")]
    [Within(1, 100_000, Unit = "frames")]
    public int ConsumerQueue { get; set; } = 256;

    /// <summary>What happens to a consumer whose queue is full: dropOldest (it loses its oldest frames and sees the gap) or disconnect (it is cut off and may resume with Last-Event-ID).</summary>
    [Description("A consumer a whole queue behind: dropOldest (it loses its oldest frames and sees the gap in seq) or disconnect (it may resume with Last-Event-ID).")]
    public SlowConsumerPolicy SlowConsumer { get; set; } = SlowConsumerPolicy.DropOldest;

    /// <summary>Consumers allowed on one stream; more get HTTP 503 with Retry-After.</summary>
    [Description("Consumers allowed on one stream; more get HTTP 503 with Retry-After.")]
    [Within(1, 1_000_000)]
    public int MaxConsumersPerStream { get; set; } = 5_000;

    /// <summary>Consumers allowed on all streams together; more get HTTP 503 with Retry-After.</summary>
    [Description("Consumers allowed on all streams together; more get HTTP 503 with Retry-After.")]
    [Within(1, 1_000_000)]
    public int MaxConsumers { get; set; } = 20_000;
}

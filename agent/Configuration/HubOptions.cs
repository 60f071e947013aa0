namespace Diode.Edge.Agent.Configuration;

/// <summary>The <c>hub</c> section: memory the stream hub may use.</summary>
internal sealed class HubOptions
{
    /// <summary>Frames kept per stream in memory for /latest, /history and SSE resume.</summary>
    public int RingSize { get; set; } = 600;

    /// <summary>Frames queued per consumer; a consumer that falls further behind loses its oldest frames (and sees the gap).</summary>
    public int ConsumerQueue { get; set; } = 256;

    /// <summary>What happens to a consumer whose queue is full: dropOldest (it loses its oldest frames and sees the gap) or disconnect (it is cut off and may resume with Last-Event-ID).</summary>
    public SlowConsumerPolicy SlowConsumer { get; set; } = SlowConsumerPolicy.DropOldest;

    /// <summary>Consumers allowed on one stream; more get HTTP 503 with Retry-After.</summary>
    public int MaxConsumersPerStream { get; set; } = 5_000;

    /// <summary>Consumers allowed on all streams together; more get HTTP 503 with Retry-After.</summary>
    public int MaxConsumers { get; set; } = 20_000;
}

namespace Diode.Edge.Agent.Configuration;

/// <summary>The <c>hub</c> section: memory the stream hub may use.</summary>
public sealed class HubOptions
{
    /// <summary>Frames kept per stream in memory for /latest, /history and SSE resume.</summary>
    public int RingSize { get; set; } = 600;

    /// <summary>Frames queued per consumer; a consumer that falls further behind loses its oldest frames (and sees the gap).</summary>
    public int ConsumerQueue { get; set; } = 256;
}

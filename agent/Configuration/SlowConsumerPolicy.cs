namespace Diode.Edge.Agent.Configuration;

/// <summary>What the hub does with a consumer that falls a whole queue behind.</summary>
internal enum SlowConsumerPolicy
{
    /// <summary>Drop its oldest queued frames (it sees the gap in seq); it stays connected.</summary>
    DropOldest,

    /// <summary>Disconnect it; it can resume with Last-Event-ID.</summary>
    Disconnect,
}

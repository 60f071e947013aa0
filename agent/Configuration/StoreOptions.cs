using System.ComponentModel;
using System.Text.Json.Serialization;
using Diode.Edge.Watchdog;
using Diode.Edge.Agent.Configuration.Validation;

namespace Diode.Edge.Agent.Configuration;

/// <summary>The <c>store</c> section: the store-and-forward database on the SD card.</summary>
internal sealed partial class StoreOptions
{
    /// <summary>Keep frames on disk for consumers that come back (and across restarts).</summary>
    [Description("Keep frames on disk for consumers that come back, and across restarts.")]
    public bool Enabled { get; set; } = true;

    /// <summary>Path of the SQLite database.</summary>
    [Description("Path of the SQLite database.")]
    [RequiredValue("e.g. /var/lib/diode-edge/store.db")]
    public string Path { get; set; } = "/var/lib/diode-edge/store.db";

    /// <summary>Frames older than this are deleted.</summary>
    [Description("Frames older than this are deleted.")]
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>The database is kept below this size (e.g. <c>512MB</c>; K, M, G are powers of 1024).</summary>
    [ByteSize]
    [ByteSizeWithin("1MB")]
    [JsonConverter(typeof(ByteSizeJsonConverter))]
    [Description("The database is kept below this size (at least 1MB).")]
    public long MaxSize { get; set; } = 512L * 1024 * 1024;

    /// <summary>Frames are written in one transaction per this interval: longer means fewer SD card writes, and at most this much lost on a power cut.</summary>
    [Description("Frames are written in one transaction per interval, 10ms to 10m: longer means fewer SD card writes and more lost on a power cut.")]
    [DurationWithin("10ms", "10m")]
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Frames waiting to be written; when the disk is slower than the sensors, further frames are served live but not stored (and counted).</summary>
    [Description("Frames waiting to be written, 1 to 1000000; when the disk falls behind, further frames are served live but not stored.")]
    [Within(1, 1_000_000, Unit = "frames")]
    public int QueueCapacity { get; set; } = 10_000;
}

using System.Text.Json.Serialization;

namespace Diode.Edge.Agent.Configuration;

/// <summary>The <c>store</c> section: the store-and-forward database on the SD card.</summary>
public sealed class StoreOptions
{
    /// <summary>Path of the SQLite database.</summary>
    public string Path { get; set; } = "/var/lib/diode-edge/store.db";

    /// <summary>Frames older than this are deleted.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>The database is kept below this size (e.g. <c>512MB</c>; K, M, G are powers of 1024).</summary>
    [ByteSize]
    [JsonConverter(typeof(ByteSizeJsonConverter))]
    public long MaxSize { get; set; } = 512L * 1024 * 1024;
}

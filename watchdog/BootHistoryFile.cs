using System.Globalization;
using System.Text.Json;

namespace Diode.Edge.Watchdog;

/// <summary>
/// The boot history on disk (<c>boot-history.json</c> in the agent's state directory), the last
/// <see cref="Capacity"/> boots, oldest first. Written atomically: a temporary file, fsync, rename over the old one,
/// fsync of the directory; a power cut or a SIGKILL leaves either the old history or the new one, never half of one.
/// </summary>
public sealed class BootHistoryFile(string path)
{
    /// <summary>How many boots are kept.</summary>
    public const int Capacity = 16;

    public string Path => path;

    /// <summary>The boots in the file; none when there is no file, or when it cannot be read (<paramref name="problem"/> says why).</summary>
    public IReadOnlyList<BootRecord> Load(out string? problem)
    {
        problem = null;
        if (!File.Exists(path))
        {
            return [];
        }

        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            var boots = document.RootElement.GetProperty("boots");
            List<BootRecord> records = [];
            foreach (var boot in boots.EnumerateArray())
            {
                records.Add(new BootRecord(
                    boot.GetProperty("bootId").GetString() ?? throw new FormatException("bootId is null"),
                    DateTimeOffset.Parse(boot.GetProperty("startedAt").GetString() ?? throw new FormatException("startedAt is null"), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
                    boot.GetProperty("resetByWatchdog").GetBoolean(),
                    boot.TryGetProperty("gateClosedBy", out var closedBy) && closedBy.ValueKind == JsonValueKind.String ? closedBy.GetString() : null,
                    boot.TryGetProperty("agentLiveness", out var liveness) && liveness.ValueKind == JsonValueKind.True));
            }

            return records;
        }
        catch (Exception ex) when (ex is JsonException or IOException or UnauthorizedAccessException or FormatException or InvalidOperationException or KeyNotFoundException)
        {
            problem = $"{path}: {ex.Message}";
            return [];
        }
    }

    /// <summary>
    /// Holds the history for one read-change-write against every other process (see <see cref="BootHistoryLock"/>);
    /// creates the directory when there is none yet.
    /// </summary>
    internal BootHistoryLock Lock()
    {
        string directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        return BootHistoryLock.Acquire(directory);
    }

    /// <summary>Replaces the file with <paramref name="records"/> (only the last <see cref="Capacity"/>), atomically and durably.</summary>
    public void Save(IReadOnlyList<BootRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        string directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        string temporary = path + ".tmp";
        // A temporary file left by a writer killed mid-write may belong to another user (root's `reset-loop clear`):
        // unlinking it needs only the directory's write permission, opening it would need its owner's.
        File.Delete(temporary);
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
            {
                writer.WriteStartObject();
                writer.WriteNumber("version", 1);
                writer.WriteStartArray("boots");
                foreach (var record in records.Skip(Math.Max(0, records.Count - Capacity)))
                {
                    writer.WriteStartObject();
                    writer.WriteString("bootId", record.BootId);
                    writer.WriteString("startedAt", record.StartedAt.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture));
                    writer.WriteBoolean("resetByWatchdog", record.ResetByWatchdog);
                    if (record.GateClosedBy is { } check)
                    {
                        writer.WriteString("gateClosedBy", check);
                        writer.WriteBoolean("agentLiveness", record.GateClosedByAgentLiveness);
                    }

                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
                writer.WriteEndObject();
            }

            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: true);
        DirectorySync.Flush(directory);
    }
}

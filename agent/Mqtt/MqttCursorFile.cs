using System.Text.Json;
using Diode.Edge.Agent.Streams;

namespace Diode.Edge.Agent.Mqtt;

/// <summary>
/// The last frame the broker acknowledged, per stream, kept in a small JSON file (<c>{"env":"1733100000000-42"}</c>)
/// written atomically (temporary file, fsync, rename), so a restarted agent resumes where the broker left off.
/// </summary>
public sealed class MqttCursorFile(string? path)
{
    public string? Path => path;

    /// <summary>The cursors in the file; none when there is no file (or no path: the store is off and no cursorPath is set).</summary>
    public Dictionary<string, EventPosition> Load()
    {
        var cursors = new Dictionary<string, EventPosition>(StringComparer.Ordinal);
        if (path is null || !File.Exists(path))
        {
            return cursors;
        }

        using var document = JsonDocument.Parse(File.ReadAllBytes(path));
        foreach (var property in document.RootElement.EnumerateObject())
        {
            if (EventPosition.TryParse(property.Value.GetString(), out var position))
            {
                cursors[property.Name] = position;
            }
        }

        return cursors;
    }

    public void Save(IReadOnlyDictionary<string, EventPosition> cursors)
    {
        ArgumentNullException.ThrowIfNull(cursors);
        if (path is null)
        {
            return;
        }

        string temporary = path + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            using (var writer = new Utf8JsonWriter(stream))
            {
                writer.WriteStartObject();
                foreach (var (stream_, position) in cursors.OrderBy(c => c.Key, StringComparer.Ordinal))
                {
                    writer.WriteString(stream_, position.ToString());
                }

                writer.WriteEndObject();
            }

            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: true);
    }
}

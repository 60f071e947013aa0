using System.Text.Json;
using Diode.Edge.Contract;

namespace Diode.Edge.Agent.Mqtt;

/// <summary>
/// The last frame the broker acknowledged, per stream, kept in a small JSON file (<c>{"env":"1733100000000-42"}</c>)
/// written atomically (temporary file, fsync, rename), so a restarted agent resumes where the broker left off.
/// </summary>
internal sealed class MqttCursorFile(string? path)
{
    public string? Path => path;

    /// <summary>
    /// The cursors in the file; none when there is no file (or no path: the store is off and no cursorPath is set), or
    /// when it cannot be read (<paramref name="problem"/> says why: the agent then starts with this run's frames).
    /// </summary>
    public Dictionary<string, EventPosition> Load(out string? problem)
    {
        problem = null;
        var cursors = new Dictionary<string, EventPosition>(StringComparer.Ordinal);
        if (path is null || !File.Exists(path))
        {
            return cursors;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllBytes(path));
        }
        catch (Exception ex) when (ex is JsonException or IOException or UnauthorizedAccessException)
        {
            problem = ex.Message;
            return cursors;
        }

        using var _ = document;
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            problem = "not a JSON object";
            return cursors;
        }

        foreach (var property in document.RootElement.EnumerateObject())
        {
            if (property.Value.ValueKind == JsonValueKind.String && EventPosition.TryParse(property.Value.GetString(), out var position))
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
                foreach (var (streamId, position) in cursors.OrderBy(c => c.Key, StringComparer.Ordinal))
                {
                    writer.WriteString(streamId, position.ToString());
                }

                writer.WriteEndObject();
            }

            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: true);
    }
}

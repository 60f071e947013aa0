using System.Text.Json;
using System.Text.Json.Serialization;

namespace Diode.Edge.Agent.Configuration;

/// <summary>Prints durations in the effective config the way users write them (<c>5s</c>).</summary>
internal sealed class DurationJsonConverter : JsonConverter<TimeSpan>
{
    public override TimeSpan Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        Duration.TryParse(reader.GetString(), out var value) ? value : throw new JsonException("not a duration");

    public override void Write(Utf8JsonWriter writer, TimeSpan value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(Duration.Format(value));
    }
}

using System.Text.Json;
using System.Text.Json.Serialization;

namespace Diode.Edge.Agent.Configuration;

/// <summary>Prints sizes in the effective config the way users write them.</summary>
internal sealed class ByteSizeJsonConverter : JsonConverter<long>
{
    public override long Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.Number ? reader.GetInt64()
        : ByteSize.TryParse(reader.GetString(), out long bytes) ? bytes
        : throw new JsonException("not a size");

    public override void Write(Utf8JsonWriter writer, long value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(ByteSize.Format(value));
    }
}

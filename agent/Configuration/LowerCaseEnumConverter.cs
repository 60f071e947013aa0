using System.Text.Json;
using System.Text.Json.Serialization;

namespace Diode.Edge.Agent.Configuration;

/// <summary>Writes an enum in lower case (<c>"protected"</c>, <c>"information"</c>), the way config.json spells it; listed per enum in <see cref="AgentJsonContext"/>.</summary>
internal sealed class LowerCaseEnumConverter<T> : JsonConverter<T>
    where T : struct, Enum
{
    public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        Enum.TryParse<T>(reader.GetString(), ignoreCase: true, out var value) ? value : throw new JsonException($"not a {typeof(T).Name}");

    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value.ToString().ToLowerInvariant());
    }
}

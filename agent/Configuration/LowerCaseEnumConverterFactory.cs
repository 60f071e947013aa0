using System.Text.Json;
using System.Text.Json.Serialization;

namespace Diode.Edge.Agent.Configuration;

/// <summary>Writes enums in lower case (<c>"protected"</c>, <c>"information"</c>), the way config.json spells them.</summary>
public sealed class LowerCaseEnumConverterFactory : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) => typeToConvert.IsEnum;

    public override JsonConverter? CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter?)Activator.CreateInstance(typeof(LowerCaseEnumConverter<>).MakeGenericType(typeToConvert));
}

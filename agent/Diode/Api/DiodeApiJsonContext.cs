using System.Text.Json.Serialization;

namespace Diode.Edge.Agent.Diode.Api;

/// <summary>Source-generated JSON for the Diode client's config API (no reflection at run time).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, PropertyNameCaseInsensitive = false)]
[JsonSerializable(typeof(DiodeConfigResponse))]
[JsonSerializable(typeof(ConnectionClientIdResponse))]
internal sealed partial class DiodeApiJsonContext : JsonSerializerContext;

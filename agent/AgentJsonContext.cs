using System.Text.Json.Serialization;
using Diode.Edge.Agent.Configuration;
using Diode.Edge.Agent.Http;

namespace Diode.Edge.Agent;

/// <summary>Source-generated JSON for everything the agent writes (no reflection at run time).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = false,
    Converters = [typeof(DurationJsonConverter), typeof(LowerCaseEnumConverterFactory)])]
[JsonSerializable(typeof(AgentOptions))]
[JsonSerializable(typeof(StreamInfo[]))]
[JsonSerializable(typeof(ErrorResponse))]
[JsonSerializable(typeof(IdentityResponse))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(bool))]
[JsonSerializable(typeof(int))]
[JsonSerializable(typeof(long))]
[JsonSerializable(typeof(double))]
public sealed partial class AgentJsonContext : JsonSerializerContext;

using System.Text.Json.Serialization;
using Diode.Edge.Agent.Configuration;
using Diode.Edge.Agent.Http;

namespace Diode.Edge.Agent;

/// <summary>Source-generated JSON for everything the agent writes (no reflection at run time).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = false,
    // One lower-case converter per enum of the configuration (a factory would need MakeGenericType, which Native AOT
    // cannot promise); AgentJsonContextTests fails when an enum of the options has none.
    Converters = [
        typeof(DurationJsonConverter),
        typeof(LowerCaseEnumConverter<DiodeMode>),
        typeof(LowerCaseEnumConverter<SlowConsumerPolicy>),
        typeof(LowerCaseEnumConverter<global::Diode.Edge.Sensors.GpioPull>),
        typeof(LowerCaseEnumConverter<Microsoft.Extensions.Logging.LogLevel>)])]
[JsonSerializable(typeof(AgentOptions))]
[JsonSerializable(typeof(StreamInfo[]))]
[JsonSerializable(typeof(ErrorResponse))]
[JsonSerializable(typeof(IdentityResponse))]
[JsonSerializable(typeof(Fleet.DeploymentAnswer))]
[JsonSerializable(typeof(Fleet.SignedStatement))]
[JsonSerializable(typeof(Fleet.Status.FleetStatusReport))]
[JsonSerializable(typeof(Fleet.Status.FleetServeAnswer))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(bool))]
[JsonSerializable(typeof(int))]
[JsonSerializable(typeof(long))]
[JsonSerializable(typeof(double))]
internal sealed partial class AgentJsonContext : JsonSerializerContext;

using System.Text.Json;

namespace Diode.Edge.Agent.Configuration;

/// <summary>A deployment's partial configuration (<c>config</c>, a JSON object) and its seq, merged over the config file by <see cref="ConfigLoader"/>.</summary>
internal sealed record DeploymentOverlay(ulong Seq, JsonElement Config);

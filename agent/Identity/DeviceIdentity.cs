using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Diode.Edge.Agent.Identity;

/// <summary>
/// This device's identity while the agent runs: its key (where it lives, whether it was just made) and the signed
/// statement <c>GET /identity</c> serves, binding the address to the fleet and the agent version.
/// </summary>
public sealed class DeviceIdentity
{
    public DeviceIdentity(DeviceKey key, string keyPath, bool created, string? fleet, DateTimeOffset issuedAt)
    {
        ArgumentNullException.ThrowIfNull(key);
        Key = key;
        KeyPath = keyPath;
        Created = created;
        Fleet = fleet;
        Statement = BuildStatement(key.Address, fleet, issuedAt);
        StatementSignature = key.Sign(Encoding.UTF8.GetBytes(Statement));
    }

    public DeviceKey Key { get; }

    public string Address => Key.Address;

    public string KeyPath { get; }

    public bool Created { get; }

    public string? Fleet { get; }

    /// <summary>The exact text that is signed: <c>{"v":1,"kind":"diode-edge/identity","device":…,"fleet":…,"agent":"diode-edge/&lt;version&gt;","ts":…}</c>.</summary>
    public string Statement { get; }

    public string StatementSignature { get; }

    private static string BuildStatement(string address, string? fleet, DateTimeOffset issuedAt)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            writer.WriteNumber("v", 1);
            writer.WriteString("kind", "diode-edge/identity");
            writer.WriteString("device", address);
            if (fleet is null)
            {
                writer.WriteNull("fleet");
            }
            else
            {
                writer.WriteString("fleet", fleet);
            }

            writer.WriteString("agent", "diode-edge/" + AgentVersion.Current);
            writer.WriteString("ts", Rfc3339.ToText(issuedAt));
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }
}

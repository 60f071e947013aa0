using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Diode.Edge.Agent.Identity;

/// <summary>
/// This device's identity while the agent runs: its key (where it lives, whether it was just made) and the signed
/// statement <c>GET /identity</c> serves, binding the address to the fleet and the agent version.
/// </summary>
internal sealed class DeviceIdentity
{
    public DeviceIdentity(DeviceKey key, string keyPath, bool created, string? fleet, DateTimeOffset issuedAt)
    {
        ArgumentNullException.ThrowIfNull(key);
        Key = key;
        KeyPath = keyPath;
        Created = created;
        Fleet = fleet;
        _issuedAt = issuedAt;
        Statement = BuildStatement(key.Address, fleet, null, null, issuedAt);
        StatementSignature = key.Sign(Encoding.UTF8.GetBytes(Statement));
    }

    private readonly DateTimeOffset _issuedAt;
    private CachedStatement? _latest; // the last statement made by StatementNaming, reused while nothing it names changes

    public DeviceKey Key { get; }

    public string Address => Key.Address;

    public string KeyPath { get; }

    public bool Created { get; }

    public string? Fleet { get; }

    /// <summary>The exact text that is signed: <c>{"v":1,"kind":"diode-edge/identity","device":…,"fleet":…,"agent":"diode-edge/&lt;version&gt;","ts":…}</c> (with <c>"client"</c> and <c>"deployment"</c> after the fleet in <see cref="StatementNaming"/>).</summary>
    public string Statement { get; }

    public string StatementSignature { get; }

    /// <summary>
    /// The statement and its signature naming also the Diode client's address (<c>"client":"0x…"</c> after
    /// <c>"fleet"</c>), which is the address consumers dial (docs/diode-client.md, "One identity"), and, on a device that takes fleet
    /// deployments, the one it runs (<c>"deployment":{"appliedSeq":N,"state":"applied"}</c> after that), so an owner's
    /// view of the fleet rests on the device's signature; <see cref="Statement"/> when neither is given.
    /// </summary>
    public (string Statement, string Sig) StatementNaming(string? clientAddress, StatementDeployment? deployment = null)
    {
        if (clientAddress is null && deployment is null)
        {
            return (Statement, StatementSignature);
        }

        if (Volatile.Read(ref _latest) is { } cached && cached.Client == clientAddress && cached.Deployment == deployment)
        {
            return (cached.Statement, cached.Sig);
        }

        string statement = BuildStatement(Key.Address, Fleet, clientAddress, deployment, _issuedAt);
        var made = new CachedStatement(clientAddress, deployment, statement, Key.Sign(Encoding.UTF8.GetBytes(statement)));
        Volatile.Write(ref _latest, made);
        return (made.Statement, made.Sig);
    }

    private static string BuildStatement(string address, string? fleet, string? client, StatementDeployment? deployment, DateTimeOffset issuedAt)
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

            if (client is not null)
            {
                writer.WriteString("client", client);
            }

            if (deployment is { } applied)
            {
                writer.WriteStartObject("deployment");
                writer.WriteNumber("appliedSeq", applied.AppliedSeq);
                writer.WriteString("state", applied.State);
                writer.WriteEndObject();
            }

            writer.WriteString("agent", "diode-edge/" + AgentVersion.Current);
            writer.WriteString("ts", Rfc3339.ToText(issuedAt));
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private sealed record CachedStatement(string? Client, StatementDeployment? Deployment, string Statement, string Sig);
}

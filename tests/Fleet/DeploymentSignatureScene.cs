using System.Text;
using System.Text.Json.Nodes;
using Diode.Edge.Agent.Fleet;
using Diode.Edge.Agent.Identity;
using Microsoft.Extensions.Time.Testing;

namespace Diode.Edge.Tests.Fleet;

/// <summary>
/// What the deployment signature tests share: a fleet, three owners and a device with fresh keys, a fixed clock inside
/// the document's window, and a document whose config holds the numbers and strings where canonical forms differ.
/// </summary>
internal sealed class DeploymentSignatureScene
{
    public const string Fleet = "0x1dd5c7daf2b0b2e4b2cd6bd0e7d85a9fa8e3c0a7";

    public static readonly DateTimeOffset Now = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);

    public DeviceKey[] Owners { get; } = [.. Enumerable.Range(0, 3).Select(_ => new DeviceKey(DeviceKey.GeneratePrivateKeyHex()))];

    public DeviceKey Device { get; } = new(DeviceKey.GeneratePrivateKeyHex());

    public static JsonObject Document(JsonNode target, ulong seq = 7) => new()
    {
        ["v"] = 1,
        ["kind"] = "config",
        ["fleet"] = Fleet,
        ["seq"] = seq,
        ["target"] = target,
        ["notBefore"] = "2026-12-07T00:00:00Z",
        ["expires"] = "2026-12-14T00:00:00Z",
        ["rollbackAfter"] = "2m",
        // Numbers and strings where canonical forms differ: shortest doubles, exponents, escapes, non-ASCII, key order.
        ["config"] = JsonNode.Parse("""
            { "sensors": [ { "type": "simulated", "name": "env", "interval": "10s", "reporting": { "deadband": 0.2 } } ],
              "b": [1e21, 1e-7, 123456789012345680000, 1.5, -0, 0.1, 100, 5e-324, 1.7976931348623157e308],
              "a": "tab\there, quote \" backslash \\ \u0001 é € 😀", "A": { "z": null, "y": true, "é": false } }
            """),
        ["signatures"] = new JsonArray(),
    };

    public DeploymentVerifier Verifier(int threshold, Dictionary<string, string>? tags = null) => new(
        new FleetOptions { Owners = [.. Owners.Select(o => o.Address)], Threshold = threshold, Tags = tags ?? new(StringComparer.Ordinal) },
        Fleet,
        Device.Address,
        new FakeTimeProvider(Now));

    public static DeploymentDocument Parse(JsonObject document) =>
        DeploymentDocument.Parse(Encoding.UTF8.GetBytes(document.ToJsonString()), out string? problem) ?? throw new Xunit.Sdk.XunitException(problem);
}

using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Diode.Edge.Agent.Fleet;
using Diode.Edge.Agent.Identity;
using Diode.Edge.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Diode.Edge.Tests.Fleet;

/// <summary>Deployment signatures across implementations: what ethers (node) signs the device accepts, and what the agent signs ethers attributes to the same owner.</summary>
[Trait("Tier", Tiers.Integration)]
public sealed class DeploymentSignatureEthersTests
{
    private const string Fleet = "0x1dd5c7daf2b0b2e4b2cd6bd0e7d85a9fa8e3c0a7";

    private static readonly DateTimeOffset Now = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);

    private readonly DeviceKey[] _owners = [.. Enumerable.Range(0, 3).Select(_ => new DeviceKey(DeviceKey.GeneratePrivateKeyHex()))];
    private readonly DeviceKey _device = new(DeviceKey.GeneratePrivateKeyHex());

    private static JsonObject Document(JsonNode target, ulong seq = 7) => new()
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

    private DeploymentVerifier Verifier(int threshold, Dictionary<string, string>? tags = null) => new(
        new FleetOptions { Owners = [.. _owners.Select(o => o.Address)], Threshold = threshold, Tags = tags ?? new(StringComparer.Ordinal) },
        Fleet,
        _device.Address,
        new FakeTimeProvider(Now));

    private static DeploymentDocument Parse(JsonObject document) =>
        DeploymentDocument.Parse(Encoding.UTF8.GetBytes(document.ToJsonString()), out string? problem) ?? throw new Xunit.Sdk.XunitException(problem);

    [Fact]
    public async Task What_ethers_signs_as_typed_data_the_device_accepts_naming_each_owner_once()
    {
        var document = Document(new JsonArray(_device.Address, "0x000000000000000000000000000000000000dEaD"));
        var signed = await NodeVerifier.RunScriptAsync("deployment.mjs", new JsonObject
        {
            ["keys"] = new JsonArray(_owners[0].PrivateKeyHex, _owners[2].PrivateKeyHex, _owners[0].PrivateKeyHex),
            ["document"] = document.DeepClone(),
        }.ToJsonString(), ["sign"]);
        foreach (var signature in signed.GetProperty("signatures").EnumerateArray())
        {
            document["signatures"]!.AsArray().Add(signature.GetString());
        }

        var parsed = Parse(document);
        Assert.Equal(signed.GetProperty("canonicalConfig").GetString(), Encoding.UTF8.GetString(CanonicalJson.Serialize(parsed.Config)));
        Assert.Equal(signed.GetProperty("configHash").GetString(), "0x" + Convert.ToHexStringLower(parsed.Claims.ConfigHash));
        Assert.Equal(signed.GetProperty("claims").GetProperty("target").GetString(), parsed.Claims.Target);

        var verdict = Verifier(threshold: 2).Verify(parsed, highestSeq: 6);

        Assert.True(verdict.Accepted, verdict.Reason);
        Assert.Equal([_owners[0].Address, _owners[2].Address], verdict.Signers); // the repeated signature counts once
        Assert.Equal("signed by 2 of 3 owners (threshold 2)", verdict.Reason);
        var once = Verifier(threshold: 3).Verify(parsed, highestSeq: 6);
        Assert.Equal((DeploymentRejection.NotEnoughSignatures, "signed by 2 distinct owners, 3 needed"), (once.Rejection!.Value, once.Reason));
    }

    [Fact]
    public async Task What_the_agent_signs_ethers_verifies_as_the_same_owner()
    {
        var document = Document(JsonValue.Create("all"));
        var claims = Parse(document).Claims;
        foreach (var owner in _owners)
        {
            document["signatures"]!.AsArray().Add(DeploymentTypedData.Sign(owner, claims));
        }

        var recovered = await NodeVerifier.RunScriptAsync("deployment.mjs", new JsonObject { ["document"] = document }.ToJsonString(), ["recover"]);

        Assert.Equal(_owners.Select(o => o.Address), recovered.GetProperty("signers").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(recovered.GetProperty("configHash").GetString(), "0x" + Convert.ToHexStringLower(claims.ConfigHash));
    }
}

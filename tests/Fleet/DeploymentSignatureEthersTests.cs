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
    private readonly DeploymentSignatureScene _scene = new();

    [Fact]
    public async Task What_ethers_signs_as_typed_data_the_device_accepts_naming_each_owner_once()
    {
        var document = DeploymentSignatureScene.Document(new JsonArray(_scene.Device.Address, "0x000000000000000000000000000000000000dEaD"));
        var signed = await NodeVerifier.RunScriptAsync("deployment.mjs", new JsonObject
        {
            ["keys"] = new JsonArray(_scene.Owners[0].PrivateKeyHex, _scene.Owners[2].PrivateKeyHex, _scene.Owners[0].PrivateKeyHex),
            ["document"] = document.DeepClone(),
        }.ToJsonString(), ["sign"]);
        foreach (var signature in signed.GetProperty("signatures").EnumerateArray())
        {
            document["signatures"]!.AsArray().Add(signature.GetString());
        }

        var parsed = DeploymentSignatureScene.Parse(document);
        Assert.Equal(signed.GetProperty("canonicalConfig").GetString(), Encoding.UTF8.GetString(CanonicalJson.Serialize(parsed.Config)));
        Assert.Equal(signed.GetProperty("configHash").GetString(), "0x" + Convert.ToHexStringLower(parsed.Claims.ConfigHash));
        Assert.Equal(signed.GetProperty("claims").GetProperty("target").GetString(), parsed.Claims.Target);

        var verdict = _scene.Verifier(threshold: 2).Verify(parsed, highestSeq: 6);

        Assert.True(verdict.Accepted, verdict.Reason);
        Assert.Equal([_scene.Owners[0].Address, _scene.Owners[2].Address], verdict.Signers); // the repeated signature counts once
        Assert.Equal("signed by 2 of 3 owners (threshold 2)", verdict.Reason);
        var once = _scene.Verifier(threshold: 3).Verify(parsed, highestSeq: 6);
        Assert.Equal((DeploymentRejection.NotEnoughSignatures, "signed by 2 distinct owners, 3 needed"), (once.Rejection!.Value, once.Reason));
    }

    [Fact]
    public async Task What_the_agent_signs_ethers_verifies_as_the_same_owner()
    {
        var document = DeploymentSignatureScene.Document(JsonValue.Create("all"));
        var claims = DeploymentSignatureScene.Parse(document).Claims;
        foreach (var owner in _scene.Owners)
        {
            document["signatures"]!.AsArray().Add(DeploymentTypedData.Sign(owner, claims));
        }

        var recovered = await NodeVerifier.RunScriptAsync("deployment.mjs", new JsonObject { ["document"] = document }.ToJsonString(), ["recover"]);

        Assert.Equal(_scene.Owners.Select(o => o.Address), recovered.GetProperty("signers").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(recovered.GetProperty("configHash").GetString(), "0x" + Convert.ToHexStringLower(claims.ConfigHash));
    }
}

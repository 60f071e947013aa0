using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Diode.Edge.Agent.Fleet;
using Diode.Edge.Agent.Identity;
using Diode.Edge.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Diode.Edge.Tests.Fleet;

/// <summary>
/// Deployments signed by owners with EIP-712 typed data, checked in C# here and against ethers from npm in both
/// directions in <see cref="DeploymentSignatureEthersTests"/>: what
/// ethers' <c>signTypedData</c> signs, the device accepts and names the signers; what the agent's <c>deployment sign</c>
/// code signs, ethers' <c>verifyTypedData</c> attributes to the same owner; and the canonical config bytes (whose
/// keccak-256 is signed) are byte for byte what JavaScript makes of the same value.
/// </summary>
[Trait("Tier", Tiers.Unit)]
public sealed class DeploymentSignatureTests
{
    private readonly DeploymentSignatureScene _scene = new();

    [Theory]
    [InlineData(0.2, "0.2")]
    [InlineData(1e21, "1e+21")]
    [InlineData(1e20, "100000000000000000000")]
    [InlineData(1e-7, "1e-7")]
    [InlineData(0.000001, "0.000001")]
    [InlineData(-1.5e-10, "-1.5e-10")]
    [InlineData(123.456, "123.456")]
    [InlineData(-0.0, "0")]
    [InlineData(5e-324, "5e-324")]
    [InlineData(1.7976931348623157e308, "1.7976931348623157e+308")]
    public void Numbers_are_written_as_ecmascript_writes_them(double value, string expected) =>
        Assert.Equal(expected, CanonicalJson.FormatNumber(value));

    [Fact]
    public void A_device_refuses_each_wrong_deployment_with_its_reason_and_accepts_the_right_one()
    {
        DeploymentDocument Signed(JsonObject document, params DeviceKey[] by)
        {
            var claims = DeploymentSignatureScene.Parse(document).Claims;
            foreach (var owner in by)
            {
                document["signatures"]!.AsArray().Add(DeploymentTypedData.Sign(owner, claims));
            }

            return DeploymentSignatureScene.Parse(document);
        }

        var verifier = _scene.Verifier(threshold: 2, new Dictionary<string, string> { ["site"] = "greenhouse", ["row"] = "3" });
        DeploymentRejection? Rejection(DeploymentDocument document, ulong applied = 6) => verifier.Verify(document, applied).Rejection;

        var right = Signed(DeploymentSignatureScene.Document(new JsonObject { ["site"] = "greenhouse" }), _scene.Owners[0], _scene.Owners[1]);
        Assert.Null(Rejection(right));
        Assert.Equal(DeploymentRejection.NotNewer, Rejection(right, applied: 7)); // a replay
        Assert.Equal(DeploymentRejection.NotNewer, Rejection(right, applied: 9)); // a downgrade
        Assert.Equal(DeploymentRejection.NotTargeted, Rejection(Signed(DeploymentSignatureScene.Document(new JsonObject { ["site"] = "barn" }), _scene.Owners[0], _scene.Owners[1])));
        Assert.Equal(DeploymentRejection.NotTargeted, Rejection(Signed(DeploymentSignatureScene.Document(new JsonArray("0x000000000000000000000000000000000000dEaD")), _scene.Owners[0], _scene.Owners[1])));
        Assert.Equal(DeploymentRejection.NotEnoughSignatures, Rejection(Signed(DeploymentSignatureScene.Document(JsonValue.Create("all")), _scene.Owners[0])));
        Assert.Equal(DeploymentRejection.NotEnoughSignatures, Rejection(Signed(DeploymentSignatureScene.Document(JsonValue.Create("all")), _scene.Owners[0], _scene.Device))); // not an owner

        var otherFleet = DeploymentSignatureScene.Document(JsonValue.Create("all"));
        otherFleet["fleet"] = "0x6000000000000000000000000000000000000000";
        Assert.Equal(DeploymentRejection.WrongFleet, Rejection(Signed(otherFleet, _scene.Owners)));

        var early = DeploymentSignatureScene.Document(JsonValue.Create("all"));
        early["notBefore"] = "2026-12-08T00:00:00Z";
        Assert.Equal(DeploymentRejection.NotYetValid, Rejection(Signed(early, _scene.Owners)));
        var late = DeploymentSignatureScene.Document(JsonValue.Create("all"));
        late["expires"] = "2026-12-07T12:00:00Z";
        Assert.Equal(DeploymentRejection.Expired, Rejection(Signed(late, _scene.Owners)));

        var identity = DeploymentSignatureScene.Document(JsonValue.Create("all"));
        identity["config"]!["identity"] = new JsonObject { ["keyPath"] = "/tmp/attacker.key" };
        Assert.Equal(DeploymentRejection.ForbiddenKey, Rejection(Signed(identity, _scene.Owners)));

        // A carrier that changes the configuration after the owners signed: the hash they signed no longer matches.
        var tampered = JsonNode.Parse(Encoding.UTF8.GetString(right.Bytes))!.AsObject();
        tampered["config"]!["sensors"]![0]!["interval"] = "1s";
        Assert.Equal(DeploymentRejection.NotEnoughSignatures, Rejection(DeploymentSignatureScene.Parse(tampered)));
        // One that only re-indents and re-orders it changes nothing that was signed.
        var reordered = JsonNode.Parse(Encoding.UTF8.GetString(right.Bytes))!.AsObject();
        var config = reordered["config"]!.AsObject();
        var members = config.ToList();
        config.Clear();
        foreach (var (name, value) in Enumerable.Reverse(members))
        {
            config[name] = value;
        }

        Assert.Null(verifier.Verify(DeploymentDocument.Parse(Encoding.UTF8.GetBytes(reordered.ToJsonString(new JsonSerializerOptions { WriteIndented = true })), out _)!, 6).Rejection);
    }

    [Theory]
    [InlineData("""{"v":2}""", "v: must be 1")]
    [InlineData("""[1]""", "not a JSON object")]
    [InlineData("""{"v":1,"kind":"config","fleet":"0x12","seq":1}""", "fleet: must be the fleet contract's address (0x and 40 hex digits)")]
    [InlineData("""{"v":1,"kind":"config","fleet":"0x1dd5c7daf2b0b2e4b2cd6bd0e7d85a9fa8e3c0a7","seq":0}""", "seq: must be a whole number from 1")]
    [InlineData("""{"v":1,"kind":"config","fleet":"0x1dd5c7daf2b0b2e4b2cd6bd0e7d85a9fa8e3c0a7","seq":1,"target":{}}""", "target: the tag match is empty (say \"all\" for every device)")]
    [InlineData("""{"v":1,"kind":"config","fleet":"0x1dd5c7daf2b0b2e4b2cd6bd0e7d85a9fa8e3c0a7","seq":1,"target":"all","notBefore":"2026-12-07T00:00:00.5Z"}""", "notBefore: must be an RFC 3339 time in whole seconds (e.g. 2026-12-07T12:00:00Z)")]
    public void A_malformed_document_is_refused_naming_the_member(string json, string expected)
    {
        Assert.Null(DeploymentDocument.Parse(Encoding.UTF8.GetBytes(json), out string? problem));
        Assert.Equal(expected, problem);
    }

    [Fact]
    public void A_document_larger_than_the_bound_is_refused_unread()
    {
        Assert.Null(DeploymentDocument.Parse(new byte[DeploymentDocument.MaxBytes + 1], out string? problem));
        Assert.Equal($"the document is {DeploymentDocument.MaxBytes + 1} bytes, more than {DeploymentDocument.MaxBytes}", problem);
    }
}

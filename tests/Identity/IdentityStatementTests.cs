using System.Text.Json;
using Diode.Edge.Agent.Identity;
using Diode.Edge.Tests.Support;

namespace Diode.Edge.Tests.Identity;

/// <summary>The signed identity statement binds address, fleet and version.</summary>
[Trait("Tier", Tiers.Unit)]
public sealed class IdentityStatementTests
{
    [Fact]
    public async Task The_identity_statement_binds_address_fleet_and_version_and_is_signed()
    {
        await using var agent = await RunningAgent.StartAsync("""{ "sensors": [ { "type": "simulated", "name": "env" } ] }""");
        using var identity = JsonDocument.Parse(await agent.Http.GetStringAsync("/identity"));
        var root = identity.RootElement;
        using var statement = JsonDocument.Parse(root.GetProperty("statement").GetString()!);

        Assert.Equal(root.GetProperty("address").GetString(), statement.RootElement.GetProperty("device").GetString());
        Assert.Equal("diode-edge/identity", statement.RootElement.GetProperty("kind").GetString());
        Assert.Equal("diode-edge/" + root.GetProperty("version").GetString(), statement.RootElement.GetProperty("agent").GetString());
        string signer = new Nethereum.Signer.EthereumMessageSigner().EcRecover(System.Text.Encoding.UTF8.GetBytes(root.GetProperty("statement").GetString()!), root.GetProperty("sig").GetString());
        Assert.Equal(root.GetProperty("address").GetString(), signer);
    }
}

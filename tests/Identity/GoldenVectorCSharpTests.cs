using System.Text;
using System.Text.Json;
using Diode.Edge.Agent.Identity;
using Diode.Edge.Tests.Support;
using Nethereum.Signer;

namespace Diode.Edge.Tests.Identity;

/// <summary>The golden vectors in C#: each recovers its address and C# signs it identically (the JavaScript side is <see cref="GoldenVectorTests"/>).</summary>
[Trait("Tier", Tiers.Unit)]
public sealed class GoldenVectorCSharpTests
{
    private static readonly string VectorsPath = Path.Combine(RepoRoot.Path, "tests", "golden", "vectors.json");

    [Fact]
    public void Every_golden_vector_recovers_the_address_in_CSharp_and_CSharp_signs_it_identically()
    {
        using var file = JsonDocument.Parse(File.ReadAllText(VectorsPath));
        var key = new DeviceKey(file.RootElement.GetProperty("privateKey").GetString()!.Replace("0x", string.Empty, StringComparison.Ordinal));
        string address = file.RootElement.GetProperty("address").GetString()!;
        Assert.Equal(address, key.Address);

        var signer = new EthereumMessageSigner();
        int count = 0;
        foreach (var vector in file.RootElement.GetProperty("vectors").EnumerateArray())
        {
            string payload = vector.GetProperty("payload").GetString()!;
            string sig = vector.GetProperty("sig").GetString()!;
            Assert.Equal(address, signer.EcRecover(Encoding.UTF8.GetBytes(payload), sig));
            Assert.Equal(sig, key.Sign(Encoding.UTF8.GetBytes(payload)));
            count++;
        }

        Assert.Equal(6, count);
    }
}

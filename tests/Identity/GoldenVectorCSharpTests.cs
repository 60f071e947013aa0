using System.Text;
using Diode.Edge.Agent.Identity;
using Diode.Edge.Tests.Support;
using Nethereum.Signer;

namespace Diode.Edge.Tests.Identity;

/// <summary>The golden vectors in C#: each recovers its address and C# signs it identically (the JavaScript side is <see cref="GoldenVectorTests"/>).</summary>
[Trait("Tier", Tiers.Unit)]
public sealed class GoldenVectorCSharpTests
{
    [Fact]
    public void Every_golden_vector_recovers_the_address_in_CSharp_and_CSharp_signs_it_identically()
    {
        var golden = GoldenVectorFile.Load();
        var key = new DeviceKey(golden.PrivateKey.Replace("0x", string.Empty, StringComparison.Ordinal));
        Assert.Equal(golden.Address, key.Address);

        var signer = new EthereumMessageSigner();
        int count = 0;
        foreach (var (payload, sig) in golden.Vectors)
        {
            Assert.Equal(golden.Address, signer.EcRecover(Encoding.UTF8.GetBytes(payload), sig));
            Assert.Equal(sig, key.Sign(Encoding.UTF8.GetBytes(payload)));
            count++;
        }

        Assert.Equal(6, count);
    }
}

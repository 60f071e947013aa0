using System.Text;
using Diode.Edge.Agent.Identity;
using Diode.Edge.Contract;
using Diode.Edge.Tests.Support;

namespace Diode.Edge.Tests.Identity;

/// <summary>
/// The native libsecp256k1 and the managed port must be interchangeable: the same public key, the same
/// signature byte for byte (RFC 6979, low S) and the same recovered signer for every key and message, and the same
/// refusals of malformed signatures. The choice is the system's unless DIODE_EDGE_SECP256K1 forces one.
/// </summary>
// Integration, not Unit, although it is in-process: it needs Debian's libsecp256k1-1, which the .NET SDK alone does not
// bring (without it the agent signs with the managed port, which the Unit tier covers).
[Trait("Tier", Tiers.Integration)]
public sealed class Secp256k1ImplementationsTests
{
    private static ISecp256k1 Native => Secp256k1Implementations.Native
        ?? throw new InvalidOperationException("libsecp256k1.so.1 is not on this machine: apt-get install libsecp256k1-1 (./test.sh does)");

    private static ISecp256k1 Managed => Secp256k1Implementations.Managed;

    [Fact]
    public void The_native_library_is_found_and_chosen_by_default()
    {
        Assert.Same(Native, Secp256k1Implementations.Choose(null));
        Assert.Same(Native, Secp256k1Implementations.Choose("auto"));
        Assert.Same(Native, Secp256k1Implementations.Choose("native"));
        Assert.Same(Managed, Secp256k1Implementations.Choose("managed"));
        var wrong = Assert.Throws<IdentityException>(() => Secp256k1Implementations.Choose("fast"));
        Assert.Equal("DIODE_EDGE_SECP256K1=fast: expected native, managed or auto", wrong.Message);
    }

    [Fact]
    public void Both_give_the_same_public_key_signature_and_signer_for_500_random_keys_and_messages()
    {
        var random = new Random(19);
        Span<byte> nativePub = stackalloc byte[65];
        Span<byte> managedPub = stackalloc byte[65];
        for (int i = 0; i < 500; i++)
        {
            string hex = DeviceKey.GeneratePrivateKeyHex();
            var native = new DeviceKey(hex, Native);
            var managed = new DeviceKey(hex, Managed);
            Native.PublicKey(Convert.FromHexString(hex), nativePub);
            Managed.PublicKey(Convert.FromHexString(hex), managedPub);
            Assert.True(nativePub.SequenceEqual(managedPub), $"public keys differ for key {i}");
            Assert.Equal(managed.Address, native.Address);

            byte[] message = new byte[random.Next(0, 600)];
            random.NextBytes(message);
            string signature = native.Sign(message);
            Assert.Equal(managed.Sign(message), signature);
            Assert.Equal(native.Address, Eip191.Recover(Native, message, signature));
            Assert.Equal(native.Address, Eip191.Recover(Managed, message, signature));
        }
    }

    [Theory]
    [InlineData("r = 0", 0)]
    [InlineData("s = 0", 1)]
    [InlineData("r = n (not below the order)", 2)]
    [InlineData("v = 31 (recovery id 4)", 3)]
    [InlineData("v = 0xff", 4)]
    [InlineData("a flipped bit in r", 5)]
    public void A_malformed_or_altered_signature_gets_the_same_answer_from_both(string what, int tamper)
    {
        var key = new DeviceKey(DeviceKey.GeneratePrivateKeyHex(), Native);
        byte[] message = Encoding.UTF8.GetBytes("{\"v\":1,\"stream\":\"env\"}");
        byte[] rsv = Convert.FromHexString(key.Sign(message)[2..]);
        byte[] order = Convert.FromHexString("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141");
        switch (tamper)
        {
            case 0: rsv.AsSpan(0, 32).Clear(); break;
            case 1: rsv.AsSpan(32, 32).Clear(); break;
            case 2: order.CopyTo(rsv, 0); break;
            case 3: rsv[64] = 31; break;
            case 4: rsv[64] = 0xff; break;
            case 5: rsv[7] ^= 0x10; break;
        }

        string signature = "0x" + Convert.ToHexStringLower(rsv);
        string? native = Eip191.Recover(Native, message, signature);
        string? managed = Eip191.Recover(Managed, message, signature);
        Assert.Equal(managed, native);
        Assert.NotEqual(key.Address, native);
        if (tamper < 5)
        {
            Assert.True(native is null, $"{what}: recovered {native}");
        }
    }

    [Fact]
    public void Invalid_secret_keys_are_refused_by_both()
    {
        byte[] order = Convert.FromHexString("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141");
        foreach (var curve in new[] { Native, Managed })
        {
            Assert.False(curve.IsValidSecretKey(new byte[32]), curve.Name + ": zero");
            Assert.False(curve.IsValidSecretKey(order), curve.Name + ": the order");
            Assert.False(curve.IsValidSecretKey(new byte[31]), curve.Name + ": 31 bytes");
            byte[] one = new byte[32];
            one[31] = 1;
            Assert.True(curve.IsValidSecretKey(one), curve.Name + ": one");
            Assert.Throws<ArgumentException>(() => new DeviceKey(Convert.ToHexStringLower(order), curve));
        }
    }
}

using NBitcoin.Secp256k1;
using Nethereum.Signer;

namespace Diode.Edge.Agent.Identity;

/// <summary>The device's secp256k1 key: its EIP-55 address, and EIP-191 <c>personal_sign</c> over exact bytes.</summary>
public sealed class DeviceKey
{
    private readonly string _privateKeyHex;
    private readonly ECPrivKey _key;

    public DeviceKey(string privateKeyHex)
    {
        ArgumentNullException.ThrowIfNull(privateKeyHex);
        _privateKeyHex = privateKeyHex.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? privateKeyHex[2..] : privateKeyHex;
        _key = ECPrivKey.Create(Convert.FromHexString(_privateKeyHex));
        Address = Eip191.AddressOf(_key.CreatePubKey());
    }

    /// <summary>The address consumers verify against, EIP-55 checksummed.</summary>
    public string Address { get; }

    /// <summary>A new key from the operating system's CSPRNG.</summary>
    public static string GeneratePrivateKeyHex() => EthECKey.GenerateKey().GetPrivateKey()[2..];

    public string PrivateKeyHex => _privateKeyHex.ToLowerInvariant();

    /// <summary>The 32-byte secret scalar (for the Diode client's database only, see <c>identity.shareWithDiode</c>).</summary>
    public byte[] PrivateKeyBytes() => Convert.FromHexString(_privateKeyHex);

    /// <summary>The 65-byte uncompressed public key (0x04, X, Y).</summary>
    public byte[] UncompressedPublicKey()
    {
        byte[] bytes = new byte[65];
        _key.CreatePubKey().WriteToSpan(compressed: false, bytes, out _);
        return bytes;
    }

    /// <summary><c>personal_sign</c> of <paramref name="message"/>: 65 bytes r, s, v (27/28) as 0x-hex, as ethers.signMessage gives.</summary>
    public string Sign(ReadOnlySpan<byte> message) => Eip191.Sign(_key, message);
}

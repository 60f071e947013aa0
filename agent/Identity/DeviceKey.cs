using Nethereum.Signer;

namespace Diode.Edge.Agent.Identity;

/// <summary>The device's secp256k1 key: its EIP-55 address, and EIP-191 <c>personal_sign</c> over exact bytes.</summary>
public sealed class DeviceKey
{
    private readonly EthECKey _key;
    private readonly EthereumMessageSigner _signer = new();

    public DeviceKey(string privateKeyHex)
    {
        _key = new EthECKey(privateKeyHex);
        Address = _key.GetPublicAddress();
    }

    /// <summary>The address consumers verify against, EIP-55 checksummed.</summary>
    public string Address { get; }

    /// <summary>A new key from the operating system's CSPRNG.</summary>
    public static string GeneratePrivateKeyHex() => EthECKey.GenerateKey().GetPrivateKey();

    public string PrivateKeyHex => _key.GetPrivateKey();

    /// <summary><c>personal_sign</c> of <paramref name="message"/>: 65 bytes r, s, v (27/28) as 0x-hex, as ethers.signMessage gives.</summary>
    public string Sign(ReadOnlySpan<byte> message) => _signer.Sign(message.ToArray(), _key);
}

using System.Security.Cryptography;
using Diode.Edge.Contract;

namespace Diode.Edge.Agent.Identity;

/// <summary>The device's secp256k1 key: its EIP-55 address, and EIP-191 <c>personal_sign</c> over exact bytes.</summary>
internal sealed class DeviceKey
{
    private readonly byte[] _secret;
    private readonly ISecp256k1 _curve;

    public DeviceKey(string privateKeyHex)
        : this(privateKeyHex, Secp256k1Implementations.Current)
    {
    }

    internal DeviceKey(string privateKeyHex, ISecp256k1 curve)
    {
        ArgumentNullException.ThrowIfNull(privateKeyHex);
        string hex = privateKeyHex.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? privateKeyHex[2..] : privateKeyHex;
        _secret = Convert.FromHexString(hex);
        _curve = curve;
        if (!curve.IsValidSecretKey(_secret))
        {
            throw new ArgumentException("not a valid secp256k1 private key (32 bytes, not zero, below the group order)", nameof(privateKeyHex));
        }

        Span<byte> uncompressed = stackalloc byte[65];
        curve.PublicKey(_secret, uncompressed);
        Address = Eip191.AddressOf(uncompressed);
    }

    /// <summary>The address consumers verify against, EIP-55 checksummed.</summary>
    public string Address { get; }

    /// <summary>A new key from the kernel's CSPRNG (getrandom(2); drawn again in the 2^-128 case that it is not a valid scalar).</summary>
    public static string GeneratePrivateKeyHex()
    {
        Span<byte> secret = stackalloc byte[32];
        do
        {
            KernelRandom.Fill(secret);
        }
        while (!Secp256k1Implementations.Current.IsValidSecretKey(secret));

        string hex = Convert.ToHexStringLower(secret);
        CryptographicOperations.ZeroMemory(secret);
        return hex;
    }

    public string PrivateKeyHex => Convert.ToHexStringLower(_secret);

    /// <summary>The 32-byte secret scalar (for the Diode client's database only, see <c>identity.shareWithDiode</c>).</summary>
    public byte[] PrivateKeyBytes() => (byte[])_secret.Clone();

    /// <summary>The 65-byte uncompressed public key (0x04, X, Y).</summary>
    public byte[] UncompressedPublicKey()
    {
        byte[] bytes = new byte[65];
        _curve.PublicKey(_secret, bytes);
        return bytes;
    }

    /// <summary><c>personal_sign</c> of <paramref name="message"/>: 65 bytes r, s, v (27/28) as 0x-hex, as ethers.signMessage gives.</summary>
    public string Sign(ReadOnlySpan<byte> message) => Eip191.Sign(_curve, _secret, message);

    /// <summary>A signature over a 32-byte digest the caller made (e.g. EIP-712 typed data), as ethers writes it: 0x, r, s, v (27 or 28).</summary>
    public string SignDigest(ReadOnlySpan<byte> digest32) =>
        digest32.Length == 32 ? Eip191.SignHash(_curve, _secret, digest32) : throw new ArgumentException("a digest is 32 bytes", nameof(digest32));
}

using System.Buffers;
using System.Globalization;
using System.Text;
using NBitcoin.Secp256k1;
using Nethereum.Util;

namespace Diode.Edge.Agent.Identity;

/// <summary>
/// EIP-191 <c>personal_sign</c> and signer recovery on NBitcoin.Secp256k1 (the managed port of Bitcoin Core's
/// libsecp256k1): about ten times faster than Nethereum's BouncyCastle-based EthECKey on this machine (bench/ signing),
/// with byte-identical signatures (RFC 6979, low S), which the golden vectors check.
/// </summary>
public static class Eip191
{
    private static readonly SearchValues<char> Hex = SearchValues.Create("0123456789abcdefABCDEF");

    /// <summary>keccak256("\x19Ethereum Signed Message:\n" + length + message).</summary>
    public static byte[] Hash(ReadOnlySpan<byte> message)
    {
        byte[] prefix = Encoding.ASCII.GetBytes("\u0019Ethereum Signed Message:\n" + message.Length.ToString(CultureInfo.InvariantCulture));
        byte[] buffer = new byte[prefix.Length + message.Length];
        prefix.CopyTo(buffer, 0);
        message.CopyTo(buffer.AsSpan(prefix.Length));
        return Sha3Keccack.Current.CalculateHash(buffer);
    }

    /// <summary>The signature as ethers writes it: 0x, r (32 bytes), s (32), v (27 or 28), lower-case hex.</summary>
    public static string Sign(ECPrivKey key, ReadOnlySpan<byte> message)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (!key.TrySignRecoverable(Hash(message), out var signature) || signature is null)
        {
            throw new InvalidOperationException("secp256k1 signing failed");
        }

        Span<byte> rsv = stackalloc byte[65];
        signature.WriteToSpanCompact(rsv[..64], out int recid);
        rsv[64] = (byte)(27 + recid);
        return "0x" + Convert.ToHexStringLower(rsv);
    }

    /// <summary>The EIP-55 address that made <paramref name="signature"/> over <paramref name="message"/>, or null if it is not a valid signature.</summary>
    public static string? Recover(ReadOnlySpan<byte> message, string signature)
    {
        ArgumentNullException.ThrowIfNull(signature);
        if (signature.Length != 132 || !signature.StartsWith("0x", StringComparison.OrdinalIgnoreCase) || signature.AsSpan(2).ContainsAnyExcept(Hex))
        {
            return null;
        }

        Span<byte> rsv = stackalloc byte[65];
        Convert.FromHexString(signature.AsSpan(2), rsv, out _, out _);
        int v = rsv[64];
        int recid = v >= 27 ? v - 27 : v;
        if (recid is < 0 or > 3
            || !SecpRecoverableECDSASignature.TryCreateFromCompact(rsv[..64], recid, out var recoverable)
            || !ECPubKey.TryRecover(Context.Instance, recoverable!, Hash(message), out var publicKey)
            || publicKey is null)
        {
            return null;
        }

        return AddressOf(publicKey);
    }

    public static string AddressOf(ECPubKey publicKey)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        Span<byte> uncompressed = stackalloc byte[65];
        publicKey.WriteToSpan(compressed: false, uncompressed, out _);
        byte[] hash = Sha3Keccack.Current.CalculateHash(uncompressed[1..].ToArray());
        return AddressUtil.Current.ConvertToChecksumAddress(Convert.ToHexStringLower(hash.AsSpan(12)));
    }
}

using System.Buffers;
using System.Globalization;
using System.Text;
using Nethereum.Util;

namespace Diode.Edge.Contract;

/// <summary>
/// EIP-191 <c>personal_sign</c> and signer recovery on secp256k1 (<see cref="Secp256k1Implementations"/>: the system's
/// native libsecp256k1, else the managed port of it), with byte-identical signatures (RFC 6979, low S) to ethers, which
/// the golden vectors check.
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
    internal static string Sign(ISecp256k1 curve, ReadOnlySpan<byte> secretKey, ReadOnlySpan<byte> message) => SignHash(curve, secretKey, Hash(message));

    /// <summary>A signature over a 32-byte hash as ethers writes it: 0x, r, s, v (27 + the recovery id).</summary>
    internal static string SignHash(ISecp256k1 curve, ReadOnlySpan<byte> secretKey, ReadOnlySpan<byte> hash32)
    {
        ArgumentNullException.ThrowIfNull(curve);
        Span<byte> rsv = stackalloc byte[65];
        int recoveryId = curve.SignRecoverable(secretKey, hash32, rsv[..64]);
        rsv[64] = (byte)(27 + recoveryId);
        return "0x" + Convert.ToHexStringLower(rsv);
    }

    /// <summary>The EIP-55 address that made <paramref name="signature"/> over <paramref name="message"/>, or null if it is not a valid signature.</summary>
    public static string? Recover(ReadOnlySpan<byte> message, string signature) => Recover(Secp256k1Implementations.Current, message, signature);

    internal static string? Recover(ISecp256k1 curve, ReadOnlySpan<byte> message, string signature) => RecoverHash(curve, Hash(message), signature);

    /// <summary>The EIP-55 address that signed a 32-byte hash (0x, r, s, v = 27/28 or 0/1), or null if it is not a valid signature.</summary>
    internal static string? RecoverHash(ISecp256k1 curve, ReadOnlySpan<byte> hash32, string signature)
    {
        ArgumentNullException.ThrowIfNull(curve);
        ArgumentNullException.ThrowIfNull(signature);
        if (signature.Length != 132 || !signature.StartsWith("0x", StringComparison.OrdinalIgnoreCase) || signature.AsSpan(2).ContainsAnyExcept(Hex))
        {
            return null;
        }

        Span<byte> rsv = stackalloc byte[65];
        Convert.FromHexString(signature.AsSpan(2), rsv, out _, out _);
        int v = rsv[64];
        int recoveryId = v >= 27 ? v - 27 : v;
        Span<byte> uncompressed = stackalloc byte[65];
        return recoveryId is >= 0 and <= 3 && curve.TryRecover(rsv[..64], recoveryId, hash32, uncompressed) ? AddressOf(uncompressed) : null;
    }

    /// <summary>The EIP-55 address of a 65-byte uncompressed public key: the last 20 bytes of keccak256(X ‖ Y).</summary>
    public static string AddressOf(ReadOnlySpan<byte> uncompressed65)
    {
        byte[] hash = Sha3Keccack.Current.CalculateHash(uncompressed65[1..65].ToArray());
        return AddressUtil.Current.ConvertToChecksumAddress(Convert.ToHexStringLower(hash.AsSpan(12)));
    }
}

using System.Security.Cryptography;
using NBitcoin.Secp256k1;
using Nethereum.Util;

namespace Diode.Edge.Tests.DiodeStandIn;

/// <summary>
/// The client's secp256k1 key and address: util.PubkeyToAddress hashes the 64-byte uncompressed public key (X‖Y,
/// without the 0x04 prefix) with legacy keccak-256 and keeps the last 20 bytes; util.Address.HexString prints it as
/// "0x" + lower-case hex (no EIP-55 checksum).
/// </summary>
internal static class Identity
{
    public static byte[] NewKey()
    {
        while (true)
        {
            byte[] key = RandomNumberGenerator.GetBytes(32);
            if (Context.Instance.TryCreateECPrivKey(key, out var k) && k is not null)
            {
                k.Dispose();
                return key;
            }
        }
    }

    /// <summary>rpc.LoadPrivateKey → crypto.ToECDSA: exactly 32 bytes, a valid scalar. Returns an error text or null.</summary>
    public static string? CheckKey(byte[] key)
    {
        if (key.Length != 32)
        {
            return "invalid length, need 256 bits";
        }

        if (!Context.Instance.TryCreateECPrivKey(key, out var k) || k is null)
        {
            return "invalid private key";
        }

        k.Dispose();
        return null;
    }

    public static byte[] Address(byte[] privateKey)
    {
        if (!Context.Instance.TryCreateECPrivKey(privateKey, out var key) || key is null)
        {
            throw new ArgumentException("not a secp256k1 private key", nameof(privateKey));
        }

        using (key)
        {
            Span<byte> pub = stackalloc byte[65];
            key.CreatePubKey().WriteToSpan(false, pub, out int length);
            byte[] hash = Sha3Keccack.Current.CalculateHash(pub[1..length].ToArray());
            return hash[12..];
        }
    }

    public static string Hex(byte[] bytes) => "0x" + Convert.ToHexStringLower(bytes);

    /// <summary>util.DecodeAddress: "0x" + 40 hex digits (case-insensitive).</summary>
    public static byte[]? DecodeAddress(string text)
    {
        string s = text.Trim();
        if (s.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            s = s[2..];
        }

        if (s.Length != 40)
        {
            return null;
        }

        try
        {
            return Convert.FromHexString(s);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}

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

    /// <summary>
    /// The key from the PEM the client stores under "private" (rpc/ssl.go EnsurePrivatePEM: an SEC 1 "EC PRIVATE KEY"
    /// on secp256k1); null when it is not one (the client then makes a new key).
    /// </summary>
    public static byte[]? FromPem(byte[] stored)
    {
        try
        {
            string text = System.Text.Encoding.ASCII.GetString(stored);
            var fields = PemEncoding.Find(text);
            if (text[fields.Label] != "EC PRIVATE KEY")
            {
                return null;
            }

            var reader = new System.Formats.Asn1.AsnReader(Convert.FromBase64String(text[fields.Base64Data]), System.Formats.Asn1.AsnEncodingRules.DER);
            var sequence = reader.ReadSequence();
            if (sequence.ReadInteger() != 1)
            {
                return null;
            }

            byte[] key = sequence.ReadOctetString();
            var curve = sequence.ReadSequence(new System.Formats.Asn1.Asn1Tag(System.Formats.Asn1.TagClass.ContextSpecific, 0, true));
            return curve.ReadObjectIdentifier() == "1.3.132.0.10" && CheckKey(key) is null ? key : null;
        }
        catch (Exception e) when (e is ArgumentException or FormatException or System.Formats.Asn1.AsnContentException)
        {
            return null;
        }
    }

    /// <summary>marshalNamedCurvePrivatePEM (rpc/crypto.go): SEC 1 with the named curve and the uncompressed public key.</summary>
    public static byte[] ToPem(byte[] privateKey)
    {
        Context.Instance.TryCreateECPrivKey(privateKey, out var key);
        Span<byte> pub = stackalloc byte[65];
        using (key)
        {
            key!.CreatePubKey().WriteToSpan(false, pub, out _);
        }

        var writer = new System.Formats.Asn1.AsnWriter(System.Formats.Asn1.AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteInteger(1);
            writer.WriteOctetString(privateKey);
            using (writer.PushSequence(new System.Formats.Asn1.Asn1Tag(System.Formats.Asn1.TagClass.ContextSpecific, 0, true)))
            {
                writer.WriteObjectIdentifier("1.3.132.0.10");
            }

            using (writer.PushSequence(new System.Formats.Asn1.Asn1Tag(System.Formats.Asn1.TagClass.ContextSpecific, 1, true)))
            {
                writer.WriteBitString(pub);
            }
        }

        return System.Text.Encoding.ASCII.GetBytes(new string(PemEncoding.Write("EC PRIVATE KEY", writer.Encode())) + "\n");
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

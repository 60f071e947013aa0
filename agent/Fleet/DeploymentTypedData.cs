using System.Buffers.Binary;
using System.Text;
using Diode.Edge.Agent.Identity;
using Diode.Edge.Contract;
using Nethereum.Util;

namespace Diode.Edge.Agent.Fleet;

/// <summary>
/// The EIP-712 typed data an owner signs for a deployment (what <c>eth_signTypedData_v4</c>, ethers'
/// <c>signTypedData</c> and a hardware wallet sign): domain <c>{name: "Diode.Edge", version: "1"}</c>, primary type
/// <c>Deployment(address fleet,uint64 seq,string target,uint64 notBefore,uint64 expires,uint64 rollbackAfter,bytes32 configHash)</c>
/// with the times in Unix seconds, <c>target</c> the canonical JSON text of the target and <c>configHash</c> the
/// keccak-256 of the canonical bytes of the partial configuration.
/// </summary>
internal static class DeploymentTypedData
{
    public const string DomainName = "Diode.Edge";
    public const string DomainVersion = "1";
    public const string DeploymentType = "Deployment(address fleet,uint64 seq,string target,uint64 notBefore,uint64 expires,uint64 rollbackAfter,bytes32 configHash)";

    private static readonly byte[] DomainSeparator = ComputeDomainSeparator();
    private static readonly byte[] DeploymentTypeHash = Keccak(Encoding.UTF8.GetBytes(DeploymentType));

    /// <summary>keccak256(0x19 0x01 ‖ domainSeparator ‖ hashStruct(deployment)): the 32 bytes each owner signs.</summary>
    public static byte[] Digest(DeploymentClaims claims)
    {
        ArgumentNullException.ThrowIfNull(claims);
        byte[] encoded = new byte[32 * 8];
        DeploymentTypeHash.CopyTo(encoded, 0);
        EthereumAddress.Bytes(claims.Fleet).CopyTo(encoded, 32 + 12);
        Uint(claims.Seq, encoded.AsSpan(64, 32));
        Keccak(Encoding.UTF8.GetBytes(claims.Target)).CopyTo(encoded, 96);
        Uint(claims.NotBefore, encoded.AsSpan(128, 32));
        Uint(claims.Expires, encoded.AsSpan(160, 32));
        Uint(claims.RollbackAfter, encoded.AsSpan(192, 32));
        claims.ConfigHash.CopyTo(encoded, 224);
        byte[] structHash = Keccak(encoded);

        byte[] message = new byte[2 + 32 + 32];
        message[0] = 0x19;
        message[1] = 0x01;
        DomainSeparator.CopyTo(message, 2);
        structHash.CopyTo(message, 34);
        return Keccak(message);
    }

    /// <summary>The address that made <paramref name="signature"/> (65 bytes r ‖ s ‖ v, hex) over the claims, or null when it is no valid signature.</summary>
    public static string? Recover(DeploymentClaims claims, string signature) => Recover(Secp256k1Implementations.Current, claims, signature);

    internal static string? Recover(ISecp256k1 curve, DeploymentClaims claims, string signature) => Eip191.RecoverHash(curve, Digest(claims), signature);

    /// <summary>An owner's signature over the claims with <paramref name="key"/>, as ethers writes it (0x, r, s, v = 27 or 28).</summary>
    public static string Sign(DeviceKey key, DeploymentClaims claims)
    {
        ArgumentNullException.ThrowIfNull(key);
        return key.SignDigest(Digest(claims));
    }

    private static byte[] ComputeDomainSeparator()
    {
        byte[] encoded = new byte[96];
        Keccak(Encoding.UTF8.GetBytes("EIP712Domain(string name,string version)")).CopyTo(encoded, 0);
        Keccak(Encoding.UTF8.GetBytes(DomainName)).CopyTo(encoded, 32);
        Keccak(Encoding.UTF8.GetBytes(DomainVersion)).CopyTo(encoded, 64);
        return Keccak(encoded);
    }

    private static void Uint(ulong value, Span<byte> word32)
    {
        word32.Clear();
        BinaryPrimitives.WriteUInt64BigEndian(word32[24..], value);
    }

    private static byte[] Keccak(byte[] data) => Sha3Keccack.Current.CalculateHash(data);
}

using System.Security.Cryptography;
using NBitcoin.Secp256k1;

namespace Diode.Edge.Contract;

/// <summary>NBitcoin.Secp256k1, the managed port of libsecp256k1: the fallback where the native library is missing.</summary>
internal sealed class ManagedSecp256k1 : ISecp256k1
{
    public string Name => "NBitcoin.Secp256k1 (managed)";

    public bool IsValidSecretKey(ReadOnlySpan<byte> secretKey) => secretKey.Length == 32 && Context.Instance.TryCreateECPrivKey(secretKey, out var key) && key is not null;

    public void PublicKey(ReadOnlySpan<byte> secretKey, Span<byte> uncompressed65)
    {
        using var key = Create(secretKey);
        key.CreatePubKey().WriteToSpan(compressed: false, uncompressed65, out _);
    }

    public int SignRecoverable(ReadOnlySpan<byte> secretKey, ReadOnlySpan<byte> hash32, Span<byte> compact64)
    {
        using var key = Create(secretKey);
        if (!key.TrySignRecoverable(hash32, out var signature) || signature is null)
        {
            throw new CryptographicException("secp256k1 signing failed");
        }

        signature.WriteToSpanCompact(compact64[..64], out int recoveryId);
        return recoveryId;
    }

    public bool TryRecover(ReadOnlySpan<byte> compact64, int recoveryId, ReadOnlySpan<byte> hash32, Span<byte> uncompressed65)
    {
        if (compact64.Length != 64 || hash32.Length != 32 || recoveryId is < 0 or > 3
            || !SecpRecoverableECDSASignature.TryCreateFromCompact(compact64, recoveryId, out var recoverable)
            || !ECPubKey.TryRecover(Context.Instance, recoverable!, hash32, out var publicKey)
            || publicKey is null)
        {
            return false;
        }

        publicKey.WriteToSpan(compressed: false, uncompressed65, out _);
        return true;
    }

    private static ECPrivKey Create(ReadOnlySpan<byte> secretKey) =>
        Context.Instance.TryCreateECPrivKey(secretKey, out var key) && key is not null ? key : throw new CryptographicException("not a valid secp256k1 secret key");
}

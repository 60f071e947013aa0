namespace Diode.Edge.Contract;

/// <summary>
/// The secp256k1 operations EIP-191 needs, over raw bytes: RFC 6979 deterministic, low-S recoverable signatures and
/// public-key recovery. Two implementations give byte-identical results (a test holds them to it): the native
/// libsecp256k1 of the operating system and the managed port of it.
/// </summary>
internal interface ISecp256k1
{
    /// <summary>What signs, for the log and <c>doctor</c>: e.g. "libsecp256k1 (native)".</summary>
    string Name { get; }

    /// <summary>False when <paramref name="secretKey"/> (32 bytes) is zero or not below the group order.</summary>
    bool IsValidSecretKey(ReadOnlySpan<byte> secretKey);

    /// <summary>The 65-byte uncompressed public key (0x04, X, Y) of a valid secret key.</summary>
    void PublicKey(ReadOnlySpan<byte> secretKey, Span<byte> uncompressed65);

    /// <summary>Signs a 32-byte hash: r and s into <paramref name="compact64"/>, and the recovery id (0–3).</summary>
    int SignRecoverable(ReadOnlySpan<byte> secretKey, ReadOnlySpan<byte> hash32, Span<byte> compact64);

    /// <summary>The uncompressed public key that made a compact signature with this recovery id, or false.</summary>
    bool TryRecover(ReadOnlySpan<byte> compact64, int recoveryId, ReadOnlySpan<byte> hash32, Span<byte> uncompressed65);
}

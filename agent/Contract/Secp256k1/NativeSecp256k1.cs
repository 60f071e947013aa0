using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Diode.Edge.Contract;

/// <summary>
/// Bitcoin Core's libsecp256k1 (Debian's and Raspberry Pi OS's <c>libsecp256k1-1</c>, 0.2 or later, with its recovery
/// module) through <see cref="LibraryImportAttribute"/>: one context for the process, created once and randomized from
/// the CSPRNG against side channels, then only used through its const functions, which are safe from any thread.
/// </summary>
internal sealed partial class NativeSecp256k1 : ISecp256k1
{
    private const string Library = "libsecp256k1.so.1";

    /// <summary>SECP256K1_CONTEXT_NONE: since 0.2 every context can sign and verify.</summary>
    private const uint ContextNone = 1;

    /// <summary>SECP256K1_EC_UNCOMPRESSED.</summary>
    private const uint Uncompressed = 2;

    private readonly nint _context;

    private NativeSecp256k1(nint context) => _context = context;

    public string Name => "libsecp256k1 (native)";

    /// <summary>The native library when this system has it, else null (the caller falls back to the managed one).</summary>
    public static NativeSecp256k1? TryCreate()
    {
        if (!NativeLibrary.TryLoad(Library, typeof(NativeSecp256k1).Assembly, null, out nint handle))
        {
            return null;
        }

        // 0.1 (soname .so.0) is not looked for; a build without the recovery module lacks this export.
        if (!NativeLibrary.TryGetExport(handle, "secp256k1_ecdsa_sign_recoverable", out _))
        {
            return null;
        }

        nint context = secp256k1_context_create(ContextNone);
        if (context == 0)
        {
            return null;
        }

        Span<byte> seed = stackalloc byte[32];
        KernelRandom.Fill(seed);
        int randomized = secp256k1_context_randomize(context, seed);
        CryptographicOperations.ZeroMemory(seed);
        return randomized == 1 ? new NativeSecp256k1(context) : null;
    }

    public bool IsValidSecretKey(ReadOnlySpan<byte> secretKey) => secretKey.Length == 32 && secp256k1_ec_seckey_verify(_context, secretKey) == 1;

    public void PublicKey(ReadOnlySpan<byte> secretKey, Span<byte> uncompressed65)
    {
        Require(secretKey, 32);
        Span<byte> pubkey = stackalloc byte[64];
        if (secp256k1_ec_pubkey_create(_context, pubkey, secretKey) != 1)
        {
            throw new CryptographicException("not a valid secp256k1 secret key");
        }

        Serialize(pubkey, uncompressed65);
    }

    public int SignRecoverable(ReadOnlySpan<byte> secretKey, ReadOnlySpan<byte> hash32, Span<byte> compact64)
    {
        Require(secretKey, 32);
        Require(hash32, 32);
        Span<byte> signature = stackalloc byte[65];
        // No nonce function given: libsecp256k1's default, RFC 6979 with HMAC-SHA256 (as the managed port and ethers).
        if (secp256k1_ecdsa_sign_recoverable(_context, signature, hash32, secretKey, 0, 0) != 1
            || secp256k1_ecdsa_recoverable_signature_serialize_compact(_context, compact64[..64], out int recoveryId, signature) != 1)
        {
            throw new CryptographicException("secp256k1 signing failed");
        }

        return recoveryId;
    }

    public bool TryRecover(ReadOnlySpan<byte> compact64, int recoveryId, ReadOnlySpan<byte> hash32, Span<byte> uncompressed65)
    {
        // Out-of-range arguments are "illegal" to the library, whose default handler aborts the process: refused here.
        if (compact64.Length != 64 || hash32.Length != 32 || recoveryId is < 0 or > 3 || uncompressed65.Length < 65)
        {
            return false;
        }

        Span<byte> signature = stackalloc byte[65];
        Span<byte> pubkey = stackalloc byte[64];
        if (secp256k1_ecdsa_recoverable_signature_parse_compact(_context, signature, compact64, recoveryId) != 1
            || secp256k1_ecdsa_recover(_context, pubkey, signature, hash32) != 1)
        {
            return false;
        }

        Serialize(pubkey, uncompressed65);
        return true;
    }

    private void Serialize(ReadOnlySpan<byte> pubkey, Span<byte> uncompressed65)
    {
        Require(uncompressed65, 65);
        nuint length = 65;
        if (secp256k1_ec_pubkey_serialize(_context, uncompressed65, ref length, pubkey, Uncompressed) != 1 || length != 65)
        {
            throw new CryptographicException("secp256k1 public key serialization failed");
        }
    }

    private static void Require(ReadOnlySpan<byte> bytes, int length)
    {
        if (bytes.Length < length)
        {
            throw new ArgumentException($"{length} bytes expected, {bytes.Length} given");
        }
    }

    [LibraryImport(Library)]
    private static partial nint secp256k1_context_create(uint flags);

    [LibraryImport(Library)]
    private static partial int secp256k1_context_randomize(nint context, ReadOnlySpan<byte> seed32);

    [LibraryImport(Library)]
    private static partial int secp256k1_ec_seckey_verify(nint context, ReadOnlySpan<byte> secretKey);

    [LibraryImport(Library)]
    private static partial int secp256k1_ec_pubkey_create(nint context, Span<byte> pubkey, ReadOnlySpan<byte> secretKey);

    [LibraryImport(Library)]
    private static partial int secp256k1_ec_pubkey_serialize(nint context, Span<byte> output, ref nuint outputLength, ReadOnlySpan<byte> pubkey, uint flags);

    [LibraryImport(Library)]
    private static partial int secp256k1_ecdsa_sign_recoverable(nint context, Span<byte> signature, ReadOnlySpan<byte> hash32, ReadOnlySpan<byte> secretKey, nint nonceFunction, nint nonceData);

    [LibraryImport(Library)]
    private static partial int secp256k1_ecdsa_recoverable_signature_serialize_compact(nint context, Span<byte> output64, out int recoveryId, ReadOnlySpan<byte> signature);

    [LibraryImport(Library)]
    private static partial int secp256k1_ecdsa_recoverable_signature_parse_compact(nint context, Span<byte> signature, ReadOnlySpan<byte> input64, int recoveryId);

    [LibraryImport(Library)]
    private static partial int secp256k1_ecdsa_recover(nint context, Span<byte> pubkey, ReadOnlySpan<byte> signature, ReadOnlySpan<byte> hash32);
}

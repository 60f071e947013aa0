using System.Text.Json;

namespace Diode.Edge.Tests.Support;

/// <summary>
/// tests/golden/vectors.json (made with ethers by tests/js/make-vectors.mjs): a device key, its address and frames it
/// signed, each a payload (the exact text signed) and its 65-byte EIP-191 signature. Five are frames 1-5 of stream
/// <c>env</c>; the last signs <c>{}</c>, a genuine signature over a payload that is no frame.
/// </summary>
public sealed record GoldenVectorFile(string PrivateKey, string Address, IReadOnlyList<GoldenVector> Vectors)
{
    public static string FilePath { get; } = Path.Combine(RepoRoot.Path, "tests", "golden", "vectors.json");

    public static GoldenVectorFile Load()
    {
        using var file = JsonDocument.Parse(File.ReadAllText(FilePath));
        var root = file.RootElement;
        return new GoldenVectorFile(
            root.GetProperty("privateKey").GetString()!,
            root.GetProperty("address").GetString()!,
            [.. root.GetProperty("vectors").EnumerateArray().Select(v => new GoldenVector(v.GetProperty("payload").GetString()!, v.GetProperty("sig").GetString()!))]);
    }
}

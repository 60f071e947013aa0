using System.IO.Compression;
using System.IO.Hashing;

namespace Diode.Edge.Agent.Dashboard;

/// <summary>
/// The dashboard's files, embedded in the executable at build time (agent/Dashboard/web, bundled by esbuild): each
/// with its content type, a strong ETag and a gzip copy made once, since a Pi behind a Diode relay pays for every byte.
/// Made on the first request, not at start: an agent whose dashboard nobody opens never pays for the gzip, and the
/// ETag is a content hash (XxHash128), not a cryptographic one, so serving the page does not load OpenSSL (3.4 MB
/// resident, measured).
/// </summary>
public sealed class DashboardAssets
{
    private static readonly Lazy<DashboardAssets> EmbeddedAssets = new(Load);
    private readonly Dictionary<string, DashboardAsset> _assets;

    private DashboardAssets(Dictionary<string, DashboardAsset> assets) => _assets = assets;

    /// <summary>The files of this build.</summary>
    public static DashboardAssets Embedded => EmbeddedAssets.Value;

    public bool TryGet(string name, out DashboardAsset asset) => _assets.TryGetValue(name, out asset!);

    private static DashboardAssets Load()
    {
        var assembly = typeof(DashboardAssets).Assembly;
        var assets = new Dictionary<string, DashboardAsset>(StringComparer.Ordinal);
        foreach (var (name, contentType) in new[] { ("index.html", "text/html; charset=utf-8"), ("app.js", "text/javascript; charset=utf-8"), ("app.css", "text/css; charset=utf-8") })
        {
            using var stream = assembly.GetManifestResourceStream("dashboard/" + name)
                ?? throw new InvalidOperationException($"the dashboard's {name} is not embedded in this build (agent/Diode.Edge.Agent.csproj, target BuildDashboard)");
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            byte[] content = buffer.ToArray();
            assets[name] = new DashboardAsset(content, Gzip(content), contentType, "\"" + Convert.ToHexStringLower(XxHash128.Hash(content)) + "\"");
        }

        return new DashboardAssets(assets);
    }

    private static byte[] Gzip(byte[] content)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.SmallestSize))
        {
            gzip.Write(content);
        }

        return output.ToArray();
    }
}

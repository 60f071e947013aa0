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
internal sealed class DashboardAssets
{
    private static readonly Lazy<DashboardAssets> EmbeddedAssets = new(() => Load("dashboard/", [("index.html", Html), ("app.js", Script), ("app.css", Style)]));
    private static readonly Lazy<DashboardAssets> FleetPageAssets = new(() => Load("fleet/", [("fleet.html", Html), ("fleet.js", Script), ("fleet.css", Style)]));
    private const string Html = "text/html; charset=utf-8";
    private const string Script = "text/javascript; charset=utf-8";
    private const string Style = "text/css; charset=utf-8";
    private readonly Dictionary<string, DashboardAsset> _assets;

    private DashboardAssets(Dictionary<string, DashboardAsset> assets) => _assets = assets;

    /// <summary>The files of this build.</summary>
    public static DashboardAssets Embedded => EmbeddedAssets.Value;

    /// <summary>The page of <c>diode-edge fleet serve</c> (the second entry point of the same bundle, sharing verify.js).</summary>
    public static DashboardAssets FleetPage => FleetPageAssets.Value;

    public bool TryGet(string name, out DashboardAsset asset) => _assets.TryGetValue(name, out asset!);

    private static DashboardAssets Load(string prefix, (string Name, string ContentType)[] files)
    {
        var assembly = typeof(DashboardAssets).Assembly;
        var assets = new Dictionary<string, DashboardAsset>(StringComparer.Ordinal);
        foreach (var (name, contentType) in files)
        {
            using var stream = assembly.GetManifestResourceStream(prefix + name)
                ?? throw new InvalidOperationException($"the page's {prefix}{name} is not embedded in this build (agent/Diode.Edge.Agent.csproj, target BuildDashboard)");
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

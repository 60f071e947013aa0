using System.Net;
using System.Net.Http.Headers;
using Diode.Edge.Tests.Support;

namespace Diode.Edge.Tests.Dashboard;

/// <summary>How the dashboard's files are served: embedded, revalidated by ETag, gzip when asked, a strict CSP.</summary>
[Trait("Tier", Tiers.Unit)]
public sealed class DashboardEndpointTests
{
    [Fact]
    public async Task The_page_and_its_files_are_served_with_etag_gzip_and_a_content_security_policy()
    {
        await using var agent = await RunningAgent.StartAsync("""{ "sensors": [ { "type": "simulated", "name": "env", "interval": "1s" } ] }""");

        using var page = await agent.Http.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        string html = await page.Content.ReadAsStringAsync();
        Assert.Contains("dashboard/app.js", html, StringComparison.Ordinal);
        Assert.DoesNotContain("http", html.Replace("http-equiv", "", StringComparison.Ordinal), StringComparison.Ordinal); // nothing from elsewhere
        string csp = string.Join(' ', page.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("connect-src 'self'", csp, StringComparison.Ordinal);

        using var script = await agent.Http.GetAsync("/dashboard/app.js");
        Assert.Equal("text/javascript", script.Content.Headers.ContentType?.MediaType);
        byte[] plain = await script.Content.ReadAsByteArrayAsync();
        Assert.True(plain.Length > 20_000, "the bundle holds uPlot and the verifier");
        var etag = script.Headers.ETag;
        Assert.NotNull(etag);

        using var revalidate = new HttpRequestMessage(HttpMethod.Get, "/dashboard/app.js");
        revalidate.Headers.IfNoneMatch.Add(etag);
        using var notModified = await agent.Http.SendAsync(revalidate);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);

        using var gzipRequest = new HttpRequestMessage(HttpMethod.Get, "/dashboard/app.js");
        gzipRequest.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("gzip"));
        using var gzipped = await agent.Http.SendAsync(gzipRequest);
        Assert.Equal("gzip", Assert.Single(gzipped.Content.Headers.ContentEncoding));
        byte[] compressed = await gzipped.Content.ReadAsByteArrayAsync();
        Assert.True(compressed.Length < plain.Length / 2, $"gzip {compressed.Length} B of {plain.Length} B");
        await using var unzip = new System.IO.Compression.GZipStream(new MemoryStream(compressed), System.IO.Compression.CompressionMode.Decompress);
        using var roundTrip = new MemoryStream();
        await unzip.CopyToAsync(roundTrip);
        Assert.Equal(plain, roundTrip.ToArray());

        using var missing = await agent.Http.GetAsync("/dashboard/nope.js");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }
}

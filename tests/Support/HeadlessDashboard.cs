using System.Text.Json;

namespace Diode.Edge.Tests.Support;

/// <summary>
/// Runs tests/js/dashboard.mjs: the dashboard in Debian's headless Chromium, driven by playwright-core. Screenshots go
/// to artifacts/dashboard/<c>name</c>/.
/// </summary>
public static class HeadlessDashboard
{
    public const string Chromium = "/usr/bin/chromium";

    /// <summary>Waits until the page of <see cref="RunAsync"/> named <paramref name="name"/> is live and has charted its first points.</summary>
    public static async Task WaitUntilLoadedAsync(string name, Task running)
    {
        string marker = Path.Combine(RepoRoot.Path, "artifacts", "dashboard", name, "loaded");
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (!File.Exists(marker))
        {
            Assert.False(running.IsCompleted, "the page ended before it loaded");
            Assert.True(DateTime.UtcNow < deadline, "the page never loaded");
            await Task.Delay(100);
        }
    }

    public static async Task<(JsonElement Result, string Screenshots)> RunAsync(Uri page, string name, params string[] options)
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: apt-get install chromium (./test.sh does)");
        Assert.True(
            Directory.Exists(Path.Combine(NodeVerifier.Directory, "node_modules", "playwright-core")),
            "playwright-core is not installed: run  npm ci --prefix tests/js  (./test.sh does)");
        string screenshots = Path.Combine(RepoRoot.Path, "artifacts", "dashboard", name);
        Directory.CreateDirectory(screenshots);
        File.Delete(Path.Combine(screenshots, "loaded")); // a marker left by an earlier run is not this page's
        var result = await NodeVerifier.RunScriptAsync("dashboard.mjs", string.Empty, [page.ToString(), screenshots, .. options], TimeSpan.FromMinutes(4));
        Assert.False(result.TryGetProperty("error", out var error), $"in Chromium: {error}\n{result}");
        return (result, screenshots);
    }
}

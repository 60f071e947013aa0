using System.Diagnostics;
using System.Text.Json;

namespace Diode.Edge.Tests.Support;

/// <summary>
/// Runs tests/js/dashboard.mjs: the dashboard in Debian's headless Chromium, driven by playwright-core. Screenshots go
/// to artifacts/dashboard/<c>name</c>/.
/// </summary>
public static class HeadlessDashboard
{
    public const string Chromium = "/usr/bin/chromium";

    public static async Task<(JsonElement Result, string Screenshots)> RunAsync(Uri page, string name, params string[] options)
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: apt-get install chromium (.ci/run does)");
        Assert.True(
            Directory.Exists(Path.Combine(NodeVerifier.Directory, "node_modules", "playwright-core")),
            "playwright-core is not installed: run  npm ci --prefix tests/js  (.ci/run does)");
        string screenshots = Path.Combine(RepoRoot.Path, "artifacts", "dashboard", name);
        Directory.CreateDirectory(screenshots);
        var psi = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = NodeVerifier.Directory };
        psi.ArgumentList.Add("dashboard.mjs");
        psi.ArgumentList.Add(page.ToString());
        psi.ArgumentList.Add(screenshots);
        foreach (string option in options)
        {
            psi.ArgumentList.Add(option);
        }

        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(4));
        string output = await stdout;
        Assert.False(string.IsNullOrWhiteSpace(output), "dashboard.mjs printed nothing: " + await stderr);
        var result = JsonDocument.Parse(output).RootElement.Clone();
        Assert.False(result.TryGetProperty("error", out var error), $"in Chromium: {error}\n{output}");
        return (result, screenshots);
    }
}

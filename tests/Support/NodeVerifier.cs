using System.Diagnostics;
using System.Text.Json;

namespace Diode.Edge.Tests.Support;

/// <summary>Runs the independent JavaScript verifier (tests/js/verify.mjs, ethers from npm).</summary>
public static class NodeVerifier
{
    public static string Directory { get; } = Path.Combine(RepoRoot.Path, "tests", "js");

    public static Task<JsonElement> RunAsync(string stdin, params string[] args) => RunScriptAsync("verify.mjs", stdin, args);

    /// <summary>Runs a script of tests/js that prints one JSON line, within <paramref name="timeout"/> (60 s when null).</summary>
    public static async Task<JsonElement> RunScriptAsync(string script, string stdin, string[] args, TimeSpan? timeout = null)
    {
        Assert.True(
            System.IO.Directory.Exists(Path.Combine(Directory, "node_modules", "ethers")),
            "ethers is not installed for the JavaScript verifier: run  npm ci --prefix tests/js  (./test.sh does)");
        var psi = new ProcessStartInfo("node") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Directory };
        psi.ArgumentList.Add(script);
        foreach (string arg in args)
        {
            psi.ArgumentList.Add(arg);
        }

        using var process = Tool.Start(psi);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(stdin);
        process.StandardInput.Close();
        await process.WaitForExitAsync().WaitAsync(timeout ?? TimeSpan.FromSeconds(60));
        string output = await stdout;
        Assert.False(string.IsNullOrWhiteSpace(output), $"node {script} printed nothing: " + await stderr);
        return JsonDocument.Parse(output).RootElement.Clone();
    }
}

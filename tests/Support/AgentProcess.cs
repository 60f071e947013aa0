using System.Diagnostics;

namespace Diode.Edge.Tests.Support;

/// <summary>Runs the real <c>diode-edge</c> executable (built next to the tests) as a child process.</summary>
public static partial class AgentProcess
{
    /// <summary>Reads a running agent's stdout until its start line, and returns the address it listens on.</summary>
    public static async Task<Uri> ReadAddressAsync(Process agent)
    {
        ArgumentNullException.ThrowIfNull(agent);
        while (true)
        {
            string? line = await agent.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
            Assert.True(line is not null, "the agent exited before it started listening");
            var match = StartedLine().Match(line);
            if (match.Success)
            {
                return new Uri(match.Groups[1].Value);
            }
        }
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"started with .*? on (http://\S+)")]
    private static partial System.Text.RegularExpressions.Regex StartedLine();

    public static string AgentDll { get; } = Path.Combine(AppContext.BaseDirectory, "diode-edge.dll");

    public static ProcessStartInfo StartInfo(string workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        psi.ArgumentList.Add(AgentDll);
        foreach (string arg in args)
        {
            psi.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            psi.Environment[key] = value;
        }

        return psi;
    }

    /// <summary>Runs to completion (60 s at most) and returns the exit code, stdout and stderr.</summary>
    public static Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] args) =>
        Tool.RunAsync("dotnet", [AgentDll, .. args], workingDirectory, environment, TimeSpan.FromSeconds(60));
}

using System.Diagnostics;

namespace Diode.Edge.Tests.Support;

/// <summary>Runs the real <c>diode-edge</c> executable, the Native AOT binary that ships (<see cref="ShippedAgent"/>), as a child process.</summary>
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

    /// <summary>The JIT build next to the tests, run only with <c>DIODE_EDGE_TEST_JIT=1</c>.</summary>
    private static string AgentDll { get; } = Path.Combine(AppContext.BaseDirectory, "diode-edge.dll");

    /// <summary>The program to start and the arguments that come before the agent's own.</summary>
    public static (string File, string[] Prefix) Command => ShippedAgent.Jit ? JitCommand : (ShippedAgent.Executable, []);

    /// <summary>The JIT build of the same code, for what the Native AOT runtime does not offer (the soak's heap census).</summary>
    public static (string File, string[] Prefix) JitCommand => ("dotnet", [AgentDll]);

    public static ProcessStartInfo StartInfo(string workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] args) =>
        StartInfo(Command, workingDirectory, environment, args);

    public static ProcessStartInfo StartInfo((string File, string[] Prefix) command, string workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var (file, prefix) = command;
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        foreach (string arg in prefix.Concat(args))
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
    public static Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var (file, prefix) = Command;
        return Tool.RunAsync(file, [.. prefix, .. args], workingDirectory, environment, TimeSpan.FromSeconds(60));
    }
}

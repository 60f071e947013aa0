using System.Diagnostics;
using System.Globalization;
using System.Text;
using Diode.Edge.Agent.Cli;
using Diode.Edge.Tests.Support;

namespace Diode.Edge.Tests.Configuration.Fuzz;

/// <summary>
/// The configuration fuzzer of the hostile-input tier: 150 mutations of each shipped configuration from a
/// fixed seed, each checked by the code <c>config check</c> runs; then the corpus of cases it found, through the real
/// executable. Every outcome is exit 0, or 78 naming the file (and the key, or where the JSON breaks); never an
/// exception or a stack trace, never more than a few seconds or a few hundred megabytes.
/// </summary>
[Trait("Tier", Tiers.Hostile)]
public sealed class ConfigFuzzTests : IDisposable
{
    public const int Seed = 18;
    private const int PerConfig = 150;

    private static readonly string CorpusDirectory = Path.Combine(RepoRoot.Path, "tests", "Configuration", "FuzzCorpus");
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    public static TheoryData<string> ShippedConfigs => new() { "agent/config.dev.json", "packaging/config.json" };

    public static TheoryData<string> Corpus
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (string file in Directory.GetFiles(CorpusDirectory, "*.json").Order(StringComparer.Ordinal))
            {
                data.Add(Path.GetFileName(file));
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(ShippedConfigs))]
    public void Mutations_of_a_shipped_config_exit_0_or_78_naming_the_file_and_never_throw(string shipped)
    {
        var mutator = new ConfigMutator(shipped, File.ReadAllText(Path.Combine(RepoRoot.Path, shipped)), Seed);
        string path = Path.Combine(_dir.Path, "config.json");
        var outcomes = new SortedDictionary<int, int>();
        var failures = new List<string>();
        TimeSpan slowest = TimeSpan.Zero;
        long mostAllocated = 0;
        foreach (var mutation in mutator.Mutations(PerConfig))
        {
            File.WriteAllBytes(path, mutation.Bytes);
            using var output = new StringWriter();
            using var error = new StringWriter();
            long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
            var clock = Stopwatch.StartNew();
            int code;
            try
            {
                code = ConfigCheckCommand.Execute(path, [], output, error);
            }
            catch (Exception ex)
            {
                failures.Add($"{mutation.Description}: threw {ex.GetType().Name}: {ex.Message}");
                Keep(mutation);
                continue;
            }

            slowest = clock.Elapsed > slowest ? clock.Elapsed : slowest;
            mostAllocated = Math.Max(mostAllocated, GC.GetAllocatedBytesForCurrentThread() - allocatedBefore);
            outcomes[code] = outcomes.GetValueOrDefault(code) + 1;
            if (Problem(code, output.ToString(), error.ToString(), clock.Elapsed) is { } problem)
            {
                failures.Add($"{mutation.Description}: {problem}");
                Keep(mutation);
            }
        }

        string summary = string.Create(CultureInfo.InvariantCulture,
            $"config fuzz {mutator.Seed}: {PerConfig} mutations, exit codes {string.Join(", ", outcomes.Select(o => $"{o.Key}: {o.Value}"))}; slowest {slowest.TotalMilliseconds:0} ms, most allocated by one check {mostAllocated / 1048576.0:0.0} MB\n");
        Directory.CreateDirectory(Path.Combine(RepoRoot.Path, "artifacts", "hostile"));
        File.AppendAllText(Path.Combine(RepoRoot.Path, "artifacts", "hostile", "config-fuzz.txt"), summary);
        Assert.True(failures.Count == 0, $"{failures.Count} of {PerConfig} mutations misbehaved (kept in artifacts/hostile/fuzz-failures):\n{string.Join('\n', failures.Take(20))}");
        Assert.True(outcomes.GetValueOrDefault(78) > PerConfig / 3, "most mutations should be refused: " + summary);
        Assert.InRange(mostAllocated, 0, 512L << 20);
    }

    [Theory]
    [MemberData(nameof(Corpus))]
    public async Task A_case_the_fuzzer_found_exits_0_or_78_through_the_real_executable(string file)
    {
        File.Copy(Path.Combine(CorpusDirectory, file), Path.Combine(_dir.Path, "config.json"));
        _ = AgentProcess.Command; // the shipped binary, published first if need be: not part of the time the check takes
        var clock = Stopwatch.StartNew();

        var (code, stdout, stderr) = await AgentProcess.RunAsync(_dir.Path, null, "config", "check", "--config", "config.json");

        Assert.Null(Problem(code, stdout, stderr, clock.Elapsed - TimeSpan.FromSeconds(2)));
    }

    /// <summary>What is wrong with an outcome, or null when it is one of the two allowed.</summary>
    private static string? Problem(int code, string stdout, string stderr, TimeSpan took)
    {
        string both = stdout + stderr;
        if (both.Contains("   at ", StringComparison.Ordinal) || both.Contains("Exception", StringComparison.Ordinal) || both.Contains("Unhandled", StringComparison.Ordinal))
        {
            return "a stack trace or an exception in the output: " + Head(stderr);
        }

        if (took > TimeSpan.FromSeconds(5))
        {
            return $"took {took.TotalSeconds:0.0} s";
        }

        return code switch
        {
            0 => null,
            78 when stderr.Contains("config.json", StringComparison.Ordinal) && stderr.Contains("error: ", StringComparison.Ordinal) => null,
            78 => "exit 78 without naming the file: " + Head(stderr),
            _ => $"exit {code}: {Head(stderr)}",
        };
    }

    private static string Head(string text) => text.Length > 300 ? text[..300] + "…" : text;

    private static void Keep(ConfigMutation mutation)
    {
        string dir = Path.Combine(RepoRoot.Path, "artifacts", "hostile", "fuzz-failures");
        Directory.CreateDirectory(dir);
        File.WriteAllBytes(Path.Combine(dir, $"{mutation.Seed.Replace('/', '_')}-{mutation.Number}.json"), mutation.Bytes);
        File.WriteAllText(Path.Combine(dir, $"{mutation.Seed.Replace('/', '_')}-{mutation.Number}.txt"), mutation.Description, Encoding.UTF8);
    }
}

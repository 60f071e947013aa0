using Diode.Edge.Agent.Configuration;
using Diode.Edge.Agent.Diode;
using Diode.Edge.Agent.Processes;

namespace Diode.Edge.Agent.Doctor.Checks;

/// <summary>
/// <c>diode</c>: the client at <c>diode.path</c> (on PATH), that it runs and prints its version, that it is new enough,
/// and that its fleet is a real one and the one its database holds.
/// </summary>
internal sealed class DiodeClientCheck : IDoctorCheck
{
    /// <summary>The oldest client with everything the agent uses: <c>GET /connection-client-id</c> (consumer identity) came in v1.17.6.</summary>
    public static readonly Version OldestSupportedClient = new(1, 17, 6);

    public string Name => "diode";

    public ValueTask<DoctorFinding> RunAsync(DoctorContext context, CancellationToken cancellationToken) => ValueTask.FromResult(Check(context));

    public DoctorFinding Check(DoctorContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var diode = context.Options?.Diode;
        string path = diode?.Path ?? "diode";
        bool on = diode?.IsOn() == true;
        string? found = Resolve(context, path);
        if (found is null)
        {
            var status = on ? DoctorStatus.Fail : DoctorStatus.Warn;
            return new(Name, status, $"the Diode client ({path}) is not installed" + (on ? " and the agent is set to run it" : string.Empty),
                "install it: curl -Ssf https://diode.io/install.sh | sh (then set diode.path if it is not on PATH)");
        }

        string? dbPath = diode?.DbPath is { } db ? context.Path(db) : null;
        string? version = ClientVersion(found, dbPath);
        if (version is null)
        {
            return new(Name, DoctorStatus.Fail, $"{found} does not print its version (diode -update=false version): it may be for another architecture or broken", "reinstall the Diode client for this board (uname -m)");
        }

        var warnings = new List<string>();
        var fixes = new List<string>();
        if (DiodeCommandLine.ParseVersion(version) is { } parsed && parsed < OldestSupportedClient)
        {
            warnings.Add($"Diode Client {version} is older than v{OldestSupportedClient} (consumer identity needs GET /connection-client-id)");
            fixes.Add("update the client: curl -Ssf https://diode.io/install.sh | sh");
        }

        if (diode is { Mode: DiodeMode.Protected } && !DiodeOptions.IsRealFleet(diode.Fleet))
        {
            warnings.Add(diode.Fleet is null
                ? "diode.fleet is not set: protected mode with the client's default fleet would admit anyone, so the agent keeps the client off"
                : $"diode.fleet is the default fleet {DiodeOptions.DefaultFleet}, which admits anyone");
            fixes.Add("set diode.fleet to your fleet contract's address (or mode \"private\" with diode.allow)");
        }

        if (diode is not null && DiodeOptions.IsRealFleet(diode.Fleet) && dbPath is not null && StoredFleet(dbPath) is { } stored
            && !string.Equals(stored, diode.Fleet, StringComparison.OrdinalIgnoreCase))
        {
            warnings.Add($"the client's database {diode.DbPath} holds fleet {stored}, not diode.fleet {diode.Fleet} (the agent sets it again at its next start)");
            fixes.Add("sudo systemctl restart diode-edge");
        }

        return warnings.Count == 0
            ? new(Name, DoctorStatus.Ok, $"{found}: Diode Client {version}")
            : new(Name, DoctorStatus.Warn, $"{found}: Diode Client {version}; " + string.Join("; ", warnings), string.Join("; ", fixes.Distinct()));
    }

    /// <summary>The fleet stored in the client's database (20 raw bytes under <c>fleet</c>), or null.</summary>
    private static string? StoredFleet(string dbPath)
    {
        try
        {
            return DiodeDatabase.Get(dbPath, "fleet") is { Length: 20 } raw ? "0x" + Convert.ToHexStringLower(raw) : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            return null;
        }
    }

    private static string? Resolve(DoctorContext context, string path)
    {
        if (path.Contains('/', StringComparison.Ordinal))
        {
            string full = context.Path(path);
            return File.Exists(full) ? full : null;
        }

        string search = context.Root == "/" ? Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/bin:/usr/bin:/bin" : "/usr/local/bin:/usr/bin:/bin:/opt/diode";
        return search.Split(':', StringSplitOptions.RemoveEmptyEntries).Select(d => context.Path(Path.Combine(d, path))).FirstOrDefault(File.Exists);
    }

    /// <summary>
    /// Runs <c>diode -update=false [-dbpath=…] version</c> (10 s at most) and reads its "Diode Client version" label. Never
    /// without <c>-update=false</c>: any subcommand of the client may replace it from GitHub, and without <c>-dbpath</c> it
    /// creates a key under the caller's home.
    /// </summary>
    private static string? ClientVersion(string executable, string? dbPath)
    {
        var options = new DiodeOptions { DbPath = dbPath };
        var (code, output) = BoundedCommand.RunAsync(executable, DiodeCommandLine.Version(options), TimeSpan.FromSeconds(10), CancellationToken.None).GetAwaiter().GetResult();
        if (code == -1)
        {
            return null;
        }

        return DiodeLogParser.FindVersion(output) is { Length: > 0 } label
            ? label.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0]
            : null;
    }
}

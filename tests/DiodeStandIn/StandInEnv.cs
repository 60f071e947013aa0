using System.Globalization;

namespace Diode.Edge.Tests.DiodeStandIn;

/// <summary>The stand-in's script, read from environment variables (listed at the top of Program.cs).</summary>
internal sealed class StandInEnv
{
    public string Mode { get; } = Text("DIODE_STANDIN_MODE", "healthy");

    public string Version { get; } = Text("DIODE_STANDIN_VERSION", "v1.18.8");

    public string BuildTime { get; } = Text("DIODE_STANDIN_BUILDTIME", "16 Jul 2026");

    public int AfterMs { get; } = Number("DIODE_STANDIN_AFTER_MS", 500);

    public int ChurnMs { get; } = Number("DIODE_STANDIN_CHURN_MS", 300);

    public int ConnectDelayMs { get; } = Number("DIODE_STANDIN_CONNECT_DELAY_MS", 50);

    public int RetryMs { get; } = Number("DIODE_STANDIN_RETRY_MS", 100);

    public int ExitCode { get; } = Number("DIODE_STANDIN_EXIT_CODE", 2);

    public bool PlantStaleBlockquick { get; } = Text("DIODE_STANDIN_STALE_BQ", "0") == "1";

    public bool IgnoreSigterm { get; } = Text("DIODE_STANDIN_IGNORE_SIGTERM", "0") == "1";

    public string ClientName { get; } = Text("DIODE_STANDIN_CLIENT_NAME", "");

    public string Remotes { get; } = Text("DIODE_STANDIN_REMOTES", "");

    public string? ArgsFile { get; } = Environment.GetEnvironmentVariable("DIODE_STANDIN_ARGS_FILE") is { Length: > 0 } f ? f : null;

    /// <summary>"v1.18.8" → (1, 18, 8); anything unparsable counts as the newest.</summary>
    public (int Major, int Minor, int Patch) VersionNumber
    {
        get
        {
            string[] parts = Version.TrimStart('v').Split('.', '-', '+');
            int Part(int i) => i < parts.Length && int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out int n) ? n : 0;
            return parts.Length >= 3 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out _) ? (Part(0), Part(1), Part(2)) : (int.MaxValue, 0, 0);
        }
    }

    public bool AtLeast(int major, int minor, int patch) => VersionNumber.CompareTo((major, minor, patch)) >= 0;

    private static string Text(string name, string fallback) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } v ? v : fallback;

    private static int Number(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) ? v : fallback;
}

namespace Diode.Edge.Agent.Diode;

/// <summary>Where the client is: <c>diode.path</c> as a path, else on PATH, else where the official installer puts it.</summary>
internal static class DiodeBinaryLocator
{
    public const string InstallHint = "curl -Ssf https://diode.io/install.sh | sh";

    public static string? Resolve(string configured)
    {
        ArgumentNullException.ThrowIfNull(configured);
        if (configured.Contains('/', StringComparison.Ordinal))
        {
            return IsExecutable(configured) ? configured : null;
        }

        return SearchPath(configured).FirstOrDefault(IsExecutable);
    }

    /// <summary>Where a name is looked for, for the "not found" message.</summary>
    public static string Describe(string configured) =>
        configured.Contains('/', StringComparison.Ordinal) ? configured : $"\"{configured}\" on PATH, ~/opt/diode, /home/pi/opt/diode or /opt/diode";

    private static IEnumerable<string> SearchPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries).Select(dir => Path.Combine(dir, name))
            .Append(Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), "opt", "diode", name))
            .Append(Path.Combine("/home/pi/opt/diode", name))
            .Append(Path.Combine("/opt/diode", name));

    private static bool IsExecutable(string path) =>
        File.Exists(path) && (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;
}

namespace Diode.Edge.Agent.Configuration;

/// <summary>
/// The Diode client's global flags that <c>diode.extraArgs</c> must not carry, each with why: the agent owns them, or
/// they would blind or undo its supervision (docs/diode-client.md).
/// </summary>
internal static class DiodeExtraArgs
{
    private static readonly Dictionary<string, string> Refused = new(StringComparer.Ordinal)
    {
        ["logfilepath"] = "sends the client's log to a file instead of stderr, so the agent could no longer see its state (the journal already keeps the client's lines)",
        ["logdatetime"] = "prefixes every line with a time and switches to debug level; the journal already stamps each line",
        ["configpath"] = "makes the client ignore the fleet and settings in its database, which the agent manages (use diode.fleet)",
        ["update"] = "the agent always passes -update=false: a self-update replaces the binary in place without a signature check (apt owns updates)",
        ["dbpath"] = "use diode.dbPath, so every command the agent runs (config, version, publish) uses the same database",
        ["tray"] = "a system-tray icon needs a desktop session; the service has none",
        ["api"] = "the agent starts the config API itself on a loopback port it chooses (diode.apiPort)",
        ["apiaddr"] = "the agent starts the config API itself on a loopback port it chooses (diode.apiPort)",
        ["fleet"] = "use diode.fleet, which the agent also checks against the fleet the client reports",
    };

    /// <summary>Why <paramref name="argument"/> is refused (naming the flag), or null when it may pass.</summary>
    public static string? Refusal(string argument)
    {
        ArgumentNullException.ThrowIfNull(argument);
        string name = Name(argument);
        return Refused.TryGetValue(name, out string? why) ? $"\"{argument}\": -{name} is refused: {why}" : null;
    }

    /// <summary>A Go flag's name: one or two dashes, up to '='.</summary>
    private static string Name(string argument)
    {
        var span = argument.AsSpan().Trim();
        span = span.StartsWith("--") ? span[2..] : span.StartsWith("-") ? span[1..] : span;
        int eq = span.IndexOf('=');
        return (eq < 0 ? span : span[..eq]).ToString();
    }
}

using Diode.Edge.Agent.Configuration;

namespace Diode.Edge.Agent.Diode;

/// <summary>
/// The exact command lines of the real client (docs/diode-client.md). Global flags go before the subcommand:
/// <c>-dbpath=…</c> when set, always <c>-update=false</c> (the client would otherwise replace itself from GitHub, unsigned,
/// for any subcommand), the config API on the agent's loopback port, <c>-fleet</c> on clients that honour it (≥ 1.18.4),
/// <c>-bqdowngrade</c> when asked, then extraArgs; then <c>publish</c> with one rule per port:
/// <c>-public|-protected 8081:80</c>, or <c>-private 8081:80,0xA,0xB</c>.
/// </summary>
internal static class DiodeCommandLine
{
    /// <summary>The first version whose <c>-fleet</c> is a per-run override (before it the flag was accepted and ignored).</summary>
    public static readonly Version FleetFlagSince = new(1, 18, 4);

    public static IReadOnlyList<string> Publish(DiodeOptions options, DiodeLaunch launch)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(launch);
        var args = new List<string>(Global(options, launch.DbPath));
        if (launch.ApiAddress is { } api)
        {
            args.Add("-api");
            args.Add("-apiaddr=" + api);
        }

        if (launch.FleetFlag && DiodeOptions.IsRealFleet(options.Fleet))
        {
            args.Add("-fleet=" + options.Fleet);
        }

        if (launch.BlockQuickDowngrade)
        {
            args.Add("-bqdowngrade");
        }

        if (options.TrackRelays && !options.ExtraArgs.Any(a => a.TrimStart('-') is "debug" or "debug=true"))
        {
            args.Add("-debug");
        }

        args.AddRange(options.ExtraArgs);
        args.Add("publish");
        // 127.0.0.1 explicitly: the client dials "localhost" otherwise, which may be ::1, and the agent's published port is IPv4 only.
        var ports = options.Ports.Count > 0 ? options.Ports : [$"127.0.0.1:{launch.ConsumerPort}:80"];
        foreach (string port in ports)
        {
            switch (options.Mode)
            {
                case DiodeMode.Public:
                    args.Add("-public");
                    args.Add(port);
                    break;
                case DiodeMode.Protected:
                    args.Add("-protected");
                    args.Add(port);
                    break;
                default:
                    args.Add("-private");
                    args.Add(string.Join(',', [port, .. options.Allow]));
                    break;
            }
        }

        return args;
    }

    /// <summary><c>diode [-dbpath=…] -update=false config -set fleet=0x…</c>: the client keeps its fleet in its database (<c>-set</c> is a flag of <c>config</c>).</summary>
    public static IReadOnlyList<string> SetFleet(DiodeOptions options, string? dbPath = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        return [.. Global(options, dbPath), "config", "-set", "fleet=" + options.Fleet];
    }

    /// <summary><c>diode [-dbpath=…] -update=false version</c>: never without <c>-update=false</c>, which any subcommand honours.</summary>
    public static IReadOnlyList<string> Version(DiodeOptions options, string? dbPath = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        return [.. Global(options, dbPath), "version"];
    }

    /// <summary>Parses <c>v1.18.8 16 Jul 2026</c>, <c>v1.18.8-3-gabc</c> or <c>1.18.8</c> into a comparable version.</summary>
    public static Version? ParseVersion(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var span = text.AsSpan().Trim();
        span = span.StartsWith("v") ? span[1..] : span;
        int end = 0;
        while (end < span.Length && (char.IsAsciiDigit(span[end]) || span[end] == '.'))
        {
            end++;
        }

        return System.Version.TryParse(span[..end], out var version) ? version : null;
    }

    /// <summary>The relay pool the client keeps: five, fewer when <c>-diodeaddrs</c> in extraArgs names fewer hosts.</summary>
    public static int PoolSize(DiodeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        string? hosts = options.ExtraArgs.Select(a => a.TrimStart('-')).Where(a => a.StartsWith("diodeaddrs=", StringComparison.Ordinal)).Select(a => a["diodeaddrs=".Length..]).LastOrDefault();
        return hosts is null ? DiodeRunObserver.DefaultPoolSize : Math.Clamp(hosts.Split(',', StringSplitOptions.RemoveEmptyEntries).Length, 1, DiodeRunObserver.DefaultPoolSize);
    }

    private static List<string> Global(DiodeOptions options, string? dbPath)
    {
        var args = new List<string>();
        dbPath ??= options.DbPath;
        if (!string.IsNullOrEmpty(dbPath))
        {
            args.Add("-dbpath=" + dbPath);
        }

        args.Add("-update=false");
        return args;
    }
}

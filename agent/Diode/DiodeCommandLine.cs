using Diode.Edge.Agent.Configuration;

namespace Diode.Edge.Agent.Diode;

/// <summary>
/// The exact command line of the real client (DESIGN.md §10): global flags first (<c>-dbpath=…</c>, <c>-update=false</c>
/// because apt owns updates, <c>-no-daemon</c> where the client has it, extraArgs), then <c>publish</c> with one rule per
/// port: <c>-public|-protected 8080:80</c>, or <c>-private 8080:80,0xA,0xB</c>.
/// </summary>
public static class DiodeCommandLine
{
    public static IReadOnlyList<string> Publish(DiodeOptions options, int httpPort, bool supportsNoDaemon)
    {
        ArgumentNullException.ThrowIfNull(options);
        var args = new List<string>();
        if (!string.IsNullOrEmpty(options.DbPath))
        {
            args.Add("-dbpath=" + options.DbPath);
        }

        args.Add("-update=false");
        if (supportsNoDaemon)
        {
            args.Add("-no-daemon");
        }

        args.AddRange(options.ExtraArgs);
        args.Add("publish");
        var ports = options.Ports.Count > 0 ? options.Ports : [$"{httpPort}:80"];
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

    /// <summary><c>diode [-dbpath=…] config -set fleet=0x…</c>: the client keeps its fleet in its database (<c>-fleet</c> is deprecated; <c>-set</c> is a flag of <c>config</c>, cmd/diode/config.go).</summary>
    public static IReadOnlyList<string> SetFleet(DiodeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var args = new List<string>();
        if (!string.IsNullOrEmpty(options.DbPath))
        {
            args.Add("-dbpath=" + options.DbPath);
        }

        args.AddRange(["-update=false", "config", "-set", "fleet=" + options.Fleet]);
        return args;
    }
}

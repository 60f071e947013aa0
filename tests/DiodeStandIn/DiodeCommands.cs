using System.Text;

namespace Diode.Edge.Tests.DiodeStandIn;

/// <summary>
/// The real client's command tree (cmd/diode/*.go, command/command.go): the global flag set of diodeCmd, the flags of
/// publish and config, the subcommand help texts, and printUsage/printCommandDefaults. command.go prints the name and
/// synopsis with fmt.Printf (stdout) and the rest through flag.FlagSet.Output() (stderr): one usage is split across
/// both streams, and that is copied here.
/// </summary>
internal static class DiodeCommands
{
    /// <summary>Subcommands registered in app.go init(), with their HelpText; ssh-proxy is Hidden.</summary>
    public static readonly IReadOnlyDictionary<string, string> Subcommands = new SortedDictionary<string, string>(StringComparer.Ordinal)
    {
        ["bns"] = "  Register/Update name service on diode blockchain.",
        ["config"] = "  Manage variables in the local config store.",
        ["fetch"] = "  Fetch is the command to make http GET/POST/DELETE/PUT/OPTION request through diode network.",
        ["gateway"] = "  Enable a public gateway server as is used by the \"diode.link\" website",
        ["join"] = "  Join the Diode Network.",
        ["mcp"] = "  Run the Diode client as a Model Context Protocol (MCP) server on stdin/stdout.",
        ["publish"] = "  Publish ports of the local device to the Diode Network.",
        ["query"] = "  Query the Diode Network.",
        ["reset"] = "  Initialize a new account and a new fleet contract in the network. WARNING deletes current credentials!",
        ["scp"] = "  Copy files to/from a diode node via scp.",
        ["socksd"] = "  Enable a socks proxy for use with browsers and other apps.",
        ["ssh"] = "  Connect to a diode node via ssh.",
        ["time"] = "  Lookup the current time from the blockchain consensus.",
        ["token"] = "  Transfer DIODEs to the given address on diode blockchain.",
        ["update"] = "  Force updating the diode client version.",
        ["version"] = "  Print the diode client version.",
    };

    public const string HiddenSubcommand = "ssh-proxy";

    private static readonly Dictionary<string, string> ExampleTexts = new(StringComparer.Ordinal)
    {
        ["publish"] = "  diode publish -public 80:80 -public 8080:8080 -protected 3000:3000 -protected 3001:3001 -private 22:22,0x......,exampleBnsName -private 33:33,0x......,exampleBnsName",
        ["config"] = "  diode config -delete lvbn2 -delete lvbn",
        ["version"] = "  diode version",
    };

    public static string DefaultDbPath()
    {
        string? dir = Environment.GetEnvironmentVariable("XDG_CONFIG_HOME");
        if (string.IsNullOrEmpty(dir))
        {
            string? home = Environment.GetEnvironmentVariable("HOME");
            dir = string.IsNullOrEmpty(home) ? "." : Path.Combine(home, ".config");
        }

        return Path.Combine(dir, "diode", "private.db");
    }

    public static GoFlagSet Global()
    {
        GoFlagSet? fs = null;
        fs = new GoFlagSet(() => PrintRootUsage(fs!));
        fs.Add("dbpath", GoFlagKind.String, DefaultDbPath(), "file path to db file");
        fs.Add("retrytimes", GoFlagKind.Int, "3", "retry times to connect the remote rpc server");
        fs.Add("e2etimeout", GoFlagKind.Duration, "15s", "timeout seconds for edge e2e handshake");
        fs.Add("update", GoFlagKind.Bool, "true", "enable update when start diode");
        fs.Add("metrics", GoFlagKind.Bool, "false", "enable metrics stats");
        fs.Add("tray", GoFlagKind.Bool, "false", "show a system tray icon");
        fs.Add("bqdowngrade", GoFlagKind.Bool, "false", "reset blockquick window after repeated validation failures");
        fs.Add("debug", GoFlagKind.Bool, "false", "turn on debug mode");
        fs.Add("api", GoFlagKind.Bool, "false", "turn on the config api");
        fs.Add("apiaddr", GoFlagKind.String, "localhost:1081", "define config api server address");
        fs.Add("rlimit_nofile", GoFlagKind.Int, "0", "specify the file descriptor numbers that can be opened by this process");
        fs.Add("logfilepath", GoFlagKind.String, "", "absolute path to the log file");
        fs.Add("logstats", GoFlagKind.LogStats, "0", "emit periodic [STATS] host metrics; bare -logstats uses 30s (min 10s); 0=off");
        fs.Add("logtarget", GoFlagKind.String, "", "ship logs to a collector at [<hex_or_bns>|<host>]:<port> or diode://<host>:<port> via implicit bind (tcp); tees with stderr or log file per matrix");
        fs.Add("logdatetime", GoFlagKind.Bool, "false", "show the date time in log");
        fs.Add("configpath", GoFlagKind.String, "", "yaml file path to config file");
        fs.Add("cpuprofile", GoFlagKind.String, "", "file path for cpu profiling");
        fs.Add("memprofile", GoFlagKind.String, "", "file path for memory profiling");
        fs.Add("pprofport", GoFlagKind.Int, "0", "localhost port for pprof for memory debugging");
        fs.Add("blockprofile", GoFlagKind.String, "", "file path for block profiling");
        fs.Add("blockprofilerate", GoFlagKind.Int, "1", "the fraction of goroutine blocking events that are reported in the blocking profile");
        fs.Add("mutexprofile", GoFlagKind.String, "", "file path for mutex profiling");
        fs.Add("mutexprofilerate", GoFlagKind.Int, "1", "the fraction of mutex contention events that are reported in the mutex profile");
        fs.Add("fleet", GoFlagKind.String, "", "fleet contract address (0x...) for this invocation only; use 'diode config -set fleet=0x...' to persist");
        fs.Add("timeout", GoFlagKind.Duration, "5s", "timeout seconds to connect to the remote rpc server");
        fs.Add("retrywait", GoFlagKind.Duration, "1s", "wait seconds before next retry");
        fs.Add("diodeaddrs", GoFlagKind.List, "", "addresses of Diode node server (default: [eu,us,as][12].prenet.diode.io:41046)");
        fs.Add("blockdomains", GoFlagKind.List, "", "domains (bns names) that are not allowed");
        fs.Add("blocklists", GoFlagKind.List, "", "addresses are not allowed to connect to published resource (used when allowlists is empty)");
        fs.Add("allowlists", GoFlagKind.List, "", "addresses are allowed to connect to published resource (used when blocklists is empty)");
        fs.Add("bind", GoFlagKind.List, "", "bind a remote port to a local port. -bind <local_port|auto>:<to_address>:<to_port>:(udp|tcp|tls)");
        fs.Add("resolvecachetime", GoFlagKind.Duration, "10m0s", "time for member and bns resolvers cache. (default: 10 minutes)");
        fs.Add("bnscachetime", GoFlagKind.Duration, "10m0s", "(Deprecated. Please use resolvecachetime) time for bns address resolve cache. (default: 10 minutes)");
        fs.Add("maxports", GoFlagKind.Int, "0", "maximum concurrent ports per device (0 = unlimited)");
        return fs;
    }

    public static GoFlagSet Sub(string name)
    {
        GoFlagSet? fs = null;
        fs = new GoFlagSet(() => PrintCommandUsage(name, fs!));
        switch (name)
        {
            case "publish":
                fs.Add("public", GoFlagKind.List, "", "expose ports to public users, so that user could connect to");
                fs.Add("protected", GoFlagKind.List, "", "expose ports to protected users (in fleet contract), so that user could connect to");
                fs.Add("private", GoFlagKind.List, "", "expose ports to private users, so that user could connect to");
                fs.Add("sshd", GoFlagKind.List, "", "publish an embedded Diode SSH service: private|protected:<extern_port>:<local_user>[,<allowlist...]");
                fs.Add("proxy_host", GoFlagKind.String, "127.0.0.1", "host of socksd proxy server");
                fs.Add("proxy_port", GoFlagKind.Int, "1080", "port of socksd proxy server");
                fs.Add("socksd", GoFlagKind.Bool, "false", "enable socksd proxy server");
                fs.Add("http", GoFlagKind.Bool, "false", "enable http static file server");
                fs.Add("http_dir", GoFlagKind.String, "", "the root directory of http static file server");
                fs.Add("http_host", GoFlagKind.String, "127.0.0.1", "the host of http static file server");
                fs.Add("http_port", GoFlagKind.Int, "8080", "the port of http static file server");
                fs.Add("indexed", GoFlagKind.Bool, "false", "enable directory indexing in http static file server");
                fs.Add("files", GoFlagKind.List, "", "HTTP file listener (PUT/GET), same spec as `diode files` (repeatable)");
                fs.Add("fileroot", GoFlagKind.String, "", "root for URL paths on all -files listeners (default: cwd; use / for filesystem root; see file-transfer-spec)");
                fs.Add("maxports", GoFlagKind.Int, "0", "DEPRECATED: use global -maxports flag instead (maximum concurrent ports per device, 0 = unlimited)");
                break;
            case "config":
                fs.Add("delete", GoFlagKind.List, "", "deletes the given variable from the config");
                fs.Add("list", GoFlagKind.Bool, "false", "list all stored config keys");
                fs.Add("full", GoFlagKind.Bool, "false", "list complete values (no line-width truncation)");
                fs.Add("unsafe", GoFlagKind.Bool, "false", "display private keys (disabled by default)");
                fs.Add("set", GoFlagKind.List, "", "sets the given variable in the config");
                break;
        }

        return fs;
    }

    /// <summary>printUsage for diodeCmd (it has subcommands).</summary>
    private static void PrintRootUsage(GoFlagSet fs)
    {
        var o = new StringBuilder();
        o.Append("Name\n  diode - Diode network command line interface\n\n");
        o.Append("SYNOPSYS\n  diode");
        int count = 0;
        foreach (var f in fs.All)
        {
            count++;
            if (count > 3)
            {
                count = 0;
                o.Append("\n       ");
            }

            o.Append(f.DefValue.Length < 10 ? $" [-{f.Name}={f.DefValue}]" : $" [-{f.Name}={f.DefValue[..7]}...]");
        }

        Console.Out.Write(o.ToString());
        Console.Out.Flush();
        var e = new StringBuilder(" COMMAND <args>\n\nCOMMANDS\n");
        foreach (var (name, help) in Subcommands)
        {
            e.Append($"  {name,-10} {help}\n");
        }

        e.Append("\nRun 'diode COMMAND --help' for more information on a command.\n");
        Console.Error.Write(e.ToString());
    }

    /// <summary>printUsage for a subcommand, then printCommandDefaults.</summary>
    public static void PrintCommandUsage(string name, GoFlagSet fs)
    {
        Console.Out.Write($"Name\n  diode {name} -{Subcommands.GetValueOrDefault(name, "")}\n\n");
        Console.Out.Write($"SYNOPSYS\n  diode {name} <args>\n\n");
        Console.Out.Flush();
        var s = new StringBuilder("ARGS\n");
        int count = 0;
        foreach (var f in fs.All)
        {
            count++;
            s.Append("  -").Append(f.Name);
            (string typeName, string usage) = UnquoteUsage(f);
            if (typeName.Length > 0)
            {
                s.Append(' ').Append(typeName);
            }

            s.Append("\n    \t").Append(usage.Replace("\n", "\n    \t", StringComparison.Ordinal));
            if (!IsZero(f))
            {
                s.Append(f.Kind == GoFlagKind.String ? $" (default \"{GoFlagSet.GoQuote(f.DefValue)}\")" : $" (default {f.DefValue})");
            }

            s.Append('\n');
        }

        if (count == 0)
        {
            s.Append("  Empty\n");
        }

        s.Append("EXAMPLE\n").Append(ExampleTexts.GetValueOrDefault(name, "")).Append('\n');
        Console.Error.Write(s.ToString());
    }

    /// <summary>flag.UnquoteUsage.</summary>
    private static (string Name, string Usage) UnquoteUsage(GoFlag f)
    {
        int first = f.Usage.IndexOf('`', StringComparison.Ordinal);
        if (first >= 0)
        {
            int second = f.Usage.IndexOf('`', first + 1);
            if (second > first)
            {
                string name = f.Usage[(first + 1)..second];
                return (name, f.Usage[..first] + name + f.Usage[(second + 1)..]);
            }
        }

        string type = f.Kind switch
        {
            GoFlagKind.Bool or GoFlagKind.LogStats => "",
            GoFlagKind.Duration => "duration",
            GoFlagKind.Int => "int",
            GoFlagKind.String => "string",
            _ => "value",
        };
        return (type, f.Usage);
    }

    private static bool IsZero(GoFlag f) => f.DefValue == f.Kind switch
    {
        GoFlagKind.Bool => "false",
        GoFlagKind.Int => "0",
        GoFlagKind.Duration => "0s",
        GoFlagKind.LogStats => "0",
        _ => "",
    };
}

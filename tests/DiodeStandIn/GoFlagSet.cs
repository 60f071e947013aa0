using System.Globalization;
using System.Text;

namespace Diode.Edge.Tests.DiodeStandIn;

/// <summary>The kinds of Go flag values the real client registers (flag.BoolVar, StringVar, IntVar, DurationVar, Var).</summary>
internal enum GoFlagKind
{
    Bool,
    String,
    Int,
    Duration,
    /// <summary>A repeatable flag.Value (config.StringValues): every occurrence appends.</summary>
    List,
    /// <summary>config.LogStatsFlag: a flag.Value with IsBoolFlag() == true.</summary>
    LogStats,
}

/// <summary>One registered flag: its name, kind, default (flag.Flag.DefValue) and usage text.</summary>
internal sealed record GoFlag(string Name, GoFlagKind Kind, string DefValue, string Usage);

/// <summary>
/// Go's flag.FlagSet with ContinueOnError, as command/command.go uses it: flags stop at the first non-flag argument or
/// at "--"; "-name=value" and "-name value" (not for bool flags); "-h"/"-help" print the usage; an unknown flag or a bad
/// value prints the error line and the usage to stderr (flag.FlagSet.Output()). The caller then exits 0.
/// </summary>
internal sealed class GoFlagSet
{
    private readonly SortedDictionary<string, GoFlag> _flags = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> _set = new(StringComparer.Ordinal);

    public GoFlagSet(Action usage) => Usage = usage;

    public Action Usage { get; }

    public IReadOnlyList<string> Rest { get; private set; } = [];

    public IEnumerable<GoFlag> All => _flags.Values;

    public void Add(string name, GoFlagKind kind, string defValue, string usage) => _flags[name] = new GoFlag(name, kind, defValue, usage);

    public bool TryGet(string name, out GoFlag flag) => _flags.TryGetValue(name, out flag!);

    /// <summary>Whether the flag was given on the command line (flag.FlagSet.Visit).</summary>
    public bool IsSet(string name) => _set.ContainsKey(name);

    public string? Value(string name) => _set.TryGetValue(name, out var v) ? v[^1] : null;

    public IReadOnlyList<string> Values(string name) => _set.TryGetValue(name, out var v) ? v : [];

    public string String(string name) => Value(name) ?? _flags[name].DefValue;

    public bool Bool(string name) => Value(name) is { } v ? ParseBool(v) == true : _flags[name].DefValue == "true";

    public long Int(string name) => long.Parse(Value(name) ?? _flags[name].DefValue, CultureInfo.InvariantCulture);

    public TimeSpan Duration(string name) => GoDuration.Parse(Value(name) ?? _flags[name].DefValue) ?? TimeSpan.Zero;

    /// <summary>flag.FlagSet.Parse. Returns false on an error or -h (the message and usage are printed already).</summary>
    public bool Parse(IReadOnlyList<string> args)
    {
        int i = 0;
        while (i < args.Count)
        {
            string arg = args[i];
            if (arg.Length < 2 || arg[0] != '-')
            {
                break;
            }

            int minuses = 1;
            if (arg[1] == '-')
            {
                minuses++;
                if (arg.Length == 2)
                {
                    i++;
                    break;
                }
            }

            string name = arg[minuses..];
            if (name.Length == 0 || name[0] == '-' || name[0] == '=')
            {
                return Fail($"bad flag syntax: {arg}");
            }

            i++;
            bool hasValue = false;
            string value = "";
            int eq = name.IndexOf('=', 1);
            if (eq > 0)
            {
                value = name[(eq + 1)..];
                hasValue = true;
                name = name[..eq];
            }

            if (!_flags.TryGetValue(name, out var flag))
            {
                if (name is "help" or "h")
                {
                    Usage();
                    return false;
                }

                return Fail($"flag provided but not defined: -{name}");
            }

            if (flag.Kind is GoFlagKind.Bool or GoFlagKind.LogStats)
            {
                if (!hasValue)
                {
                    value = "true";
                }

                string? error = Validate(flag, value);
                if (error is not null)
                {
                    return Fail(hasValue ? $"invalid boolean value \"{GoQuote(value)}\" for -{name}: {error}" : $"invalid boolean flag {name}: {error}");
                }
            }
            else
            {
                if (!hasValue && i < args.Count)
                {
                    hasValue = true;
                    value = args[i++];
                }

                if (!hasValue)
                {
                    return Fail($"flag needs an argument: -{name}");
                }

                string? error = Validate(flag, value);
                if (error is not null)
                {
                    return Fail($"invalid value \"{GoQuote(value)}\" for flag -{name}: {error}");
                }
            }

            if (!_set.TryGetValue(name, out var list))
            {
                _set[name] = list = [];
            }

            list.Add(value);
        }

        Rest = args.Skip(i).ToList();
        return true;
    }

    private bool Fail(string message)
    {
        Console.Error.WriteLine(message);
        Usage();
        return false;
    }

    private static string? Validate(GoFlag flag, string value) => flag.Kind switch
    {
        GoFlagKind.Bool => ParseBool(value) is null ? "parse error" : null,
        GoFlagKind.Int => GoInt(value) ? null : "parse error",
        GoFlagKind.Duration => GoDuration.Parse(value) is null ? "parse error" : null,
        GoFlagKind.LogStats => LogStats(value),
        _ => null,
    };

    /// <summary>config.LogStatsFlag.Set: true/1 mean 30s, false/0/off disable, otherwise a duration of at least 10s.</summary>
    private static string? LogStats(string value)
    {
        string v = value.Trim().ToLowerInvariant();
        if (v is "true" or "1" or "false" or "0" or "off" or "")
        {
            return null;
        }

        var d = GoDuration.Parse(v);
        if (d is null)
        {
            return $"invalid -logstats value {GoQuote(value)} (use e.g. 10s, 1m, true, or false)";
        }

        return d < TimeSpan.FromSeconds(10) && d > TimeSpan.Zero ? "-logstats must be at least 10s (or 0 to disable)" : null;
    }

    /// <summary>strconv.ParseBool.</summary>
    public static bool? ParseBool(string value) => value switch
    {
        "1" or "t" or "T" or "TRUE" or "true" or "True" => true,
        "0" or "f" or "F" or "FALSE" or "false" or "False" => false,
        _ => null,
    };

    /// <summary>strconv.ParseInt(s, 0, 64): decimal, 0x hex, 0o/leading-0 octal, 0b binary, optional sign and underscores.</summary>
    private static bool GoInt(string s)
    {
        string v = s.StartsWith('-') || s.StartsWith('+') ? s[1..] : s;
        if (v.Length == 0)
        {
            return false;
        }

        try
        {
            if (v.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
            {
                _ = Convert.ToInt64(v[2..].Replace("_", "", StringComparison.Ordinal), 16);
                return v.Length > 2;
            }

            if (v.StartsWith("0b", StringComparison.OrdinalIgnoreCase))
            {
                _ = Convert.ToInt64(v[2..].Replace("_", "", StringComparison.Ordinal), 2);
                return v.Length > 2;
            }

            if (v.StartsWith("0o", StringComparison.OrdinalIgnoreCase) || (v.Length > 1 && v[0] == '0'))
            {
                _ = Convert.ToInt64(v.TrimStart('0', 'o', 'O').Replace("_", "", StringComparison.Ordinal) is { Length: > 0 } o ? o : "0", 8);
                return true;
            }

            return long.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out _);
        }
        catch (Exception e) when (e is FormatException or OverflowException or ArgumentException)
        {
            return false;
        }
    }

    /// <summary>The inside of Go's %q for plain printable ASCII (what tests pass); other bytes are escaped like Go.</summary>
    public static string GoQuote(string s)
    {
        var b = new StringBuilder();
        foreach (char c in s)
        {
            _ = c switch
            {
                '"' => b.Append("\\\""),
                '\\' => b.Append("\\\\"),
                '\n' => b.Append("\\n"),
                '\t' => b.Append("\\t"),
                '\r' => b.Append("\\r"),
                < ' ' => b.Append(CultureInfo.InvariantCulture, $"\\x{(int)c:x2}"),
                _ => b.Append(c),
            };
        }

        return b.ToString();
    }
}

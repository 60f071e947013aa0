using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace Diode.Edge.Tests.DiodeStandIn;

/// <summary>
/// cmd/diode: main (diode.go), Command.Execute (command/command.go), prepareDiode / Diode.Init / Start / Wait / Close
/// (app.go), publishHandler (publish.go), configHandler (config.go), versionHandler (version.go), in their order.
/// </summary>
internal sealed class DiodeApp : IDisposable
{
    private static readonly string[] BootDiodeAddrs =
    [
        "diode://0xceca2f8cf1983b4cf0c1ba51fd382c2bc37aba58@us1.prenet.diode.io:41046",
        "diode://0x7e4cd38d266902444dc9c8f7c0aa716a32497d0b@us2.prenet.diode.io:41046",
        "diode://0x68e0bafdda9ef323f692fc080d612718c941d120@as1.prenet.diode.io:41046",
        "diode://0x1350d3b501d6842ed881b59de4b95b27372bfae8@as2.prenet.diode.io:41046",
        "diode://0x937c492a77ae90de971986d003ffbc5f8bb2232c@eu1.prenet.diode.io:41046",
        "diode://0xae699211c62156b8f29ce17be47d2f069a27f2a6@eu2.prenet.diode.io:41046",
    ];

    private static readonly Dictionary<string, string> PublishedKeys = new(StringComparer.Ordinal)
    {
        ["public"] = "published_public_ports",
        ["protected"] = "published_protected_ports",
        ["private"] = "published_private_ports",
        ["published_public_ports"] = "published_public_ports",
        ["published_protected_ports"] = "published_protected_ports",
        ["published_private_ports"] = "published_private_ports",
    };

    private static PosixSignalRegistration? _sigterm;
    private static PosixSignalRegistration? _sigint;

    private readonly StandInEnv _env = new();
    private readonly ConnectionPeers _peers = new();
    private readonly TaskCompletionSource _interrupted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly object _closeGate = new();
    private GoFlagSet _global = DiodeCommands.Global();
    private GoFlagSet _sub = DiodeCommands.Sub("publish");
    private string _command = "publish";
    private ZapLog _log = null!;
    private ClientDb _db = null!;
    private BlockquickState _blockquick = null!;
    private RelayPool? _pool;
    private ConfigApiServer? _api;
    private System.Net.Sockets.TcpListener? _socks;
    private RemoteDevices? _remotes;
    private List<string> _hosts = [];
    private List<PublishedPort> _ports = [];
    private byte[] _clientAddr = [];
    private byte[] _fleet = [];
    private string _clientName = "";
    private volatile bool _waiting;
    private volatile bool _hung;
    private bool _closed;
    private bool _loadFromFile;

    public static async Task<int> RunAsync(string[] args)
    {
        using var app = new DiodeApp();
        if (app._env.ArgsFile is { } argsFile)
        {
            File.AppendAllText(argsFile, string.Join(' ', args) + "\n");
        }

        app.InstallSignals();
        string? error;
        try
        {
            error = await app.ExecuteAsync(args);
        }
        catch (ExitException e)
        {
            return e.Code;
        }

        if (error is not null)
        {
            // main: an error returned by a command is printed, exit status 2.
            if (app._log is null)
            {
                Console.Error.WriteLine($"Couldn't execute command: {error}");
            }
            else
            {
                app._log.PrintError("Couldn't execute command", error);
            }

            return 2;
        }

        return 0;
    }

    private void InstallSignals()
    {
        _sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            if (!_env.IgnoreSigterm)
            {
                Signals.DieBy(Signals.SigTerm);
            }
        });
        _sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, context =>
        {
            context.Cancel = true;
            if (!_waiting)
            {
                Signals.DieBy(Signals.SigInt);
            }

            _interrupted.TrySetResult();
        });
    }

    /// <summary>Command.Execute; returns the error text main prints, or null.</summary>
    private async Task<string?> ExecuteAsync(string[] args)
    {
        if (CheckFlagHelp(args))
        {
            return null;
        }

        if (!_global.Parse(args))
        {
            return null;
        }

        _command = _global.Rest.Count > 0 ? _global.Rest[0] : "publish";
        if (!DiodeCommands.Subcommands.ContainsKey(_command) && _command != DiodeCommands.HiddenSubcommand)
        {
            Console.Out.Write($"diode: '{_command}' is not a diode command. See 'diode --help'.\n");
            return null;
        }

        _sub = DiodeCommands.Sub(_command);
        var subArgs = _global.Rest.Skip(1).ToList();
        if (_command is "ssh" or "scp" or "ssh-proxy")
        {
            if (subArgs is ["--help" or "-help" or "-h"])
            {
                DiodeCommands.PrintCommandUsage(_command, _sub);
                return null;
            }
        }
        else if (!_sub.Parse(subArgs))
        {
            return null;
        }

        if (Prepare() is { } prepareError)
        {
            return prepareError;
        }

        if (_env.Mode == "crash")
        {
            _ = Task.Delay(_env.AfterMs).ContinueWith(
                _ =>
                {
                    // The real sample (#181, #275): a command dies on a closed genserver; main exits 2.
                    _log.PrintError("Couldn't execute command", "call to dead genserver");
                    Environment.Exit(_env.ExitCode);
                },
                TaskScheduler.Default);
        }

        string? result = _command switch
        {
            "version" => Version(),
            "config" => Config(),
            "publish" => await PublishAsync(),
            _ => $"the diode stand-in does not simulate the '{_command}' command",
        };

        // run(...): PostRun (cleanDiode → Close) only follows a command that returned no error.
        if (result is null)
        {
            Close();
        }

        return result;
    }

    /// <summary>checkFlagHelp: "-flag --help" prints that flag's help (stdout) before anything is parsed.</summary>
    private bool CheckFlagHelp(string[] args)
    {
        for (int i = 0; i + 1 < args.Length; i++)
        {
            string arg = args[i];
            if (!arg.StartsWith('-') || args[i + 1] is not ("--help" or "-help" or "-h"))
            {
                continue;
            }

            string name = arg.StartsWith("--", StringComparison.Ordinal) ? arg[2..] : arg[1..];
            if (name.IndexOf('=', StringComparison.Ordinal) is var eq and >= 0)
            {
                name = name[..eq];
            }

            var o = new StringBuilder();
            if (_global.TryGet(name, out var flag))
            {
                o.Append(CultureInfo.InvariantCulture, $"Flag: -{flag.Name}\n");
                string type = flag.Kind switch { GoFlagKind.Duration => "duration", GoFlagKind.Int => "int", GoFlagKind.String => "string", GoFlagKind.List => "value", _ => "" };
                o.Append(type.Length > 0 ? $"Usage: -{flag.Name}={type}\n" : flag.Kind == GoFlagKind.Bool ? $"Usage: -{flag.Name}=true|false\n" : $"Usage: -{flag.Name}\n");
                o.Append(CultureInfo.InvariantCulture, $"Description: {flag.Usage}\n");
                o.Append(flag.Kind == GoFlagKind.String ? $"Default: \"{GoFlagSet.GoQuote(flag.DefValue)}\"\n" : $"Default: {flag.DefValue}\n");
            }
            else if (DiodeCommands.Subcommands.ContainsKey(name))
            {
                Console.Out.Write($"diode: '{name}' is a command, not a flag. Here is help on the command '{name}':\n\n");
                DiodeCommands.PrintCommandUsage(name, DiodeCommands.Sub(name));
                return true;
            }
            else
            {
                o.Append(CultureInfo.InvariantCulture, $"diode: unknown flag: '{name}'\n");
            }

            Console.Out.Write(o.ToString());
            return true;
        }

        return false;
    }

    /// <summary>prepareDiode and Diode.Init.</summary>
    private string? Prepare()
    {
        string configPath = _global.String("configpath");
        _loadFromFile = configPath.Length > 0 && File.Exists(configPath);
        _log = new ZapLog(_global.Bool("debug"), _global.Bool("logdatetime"), _global.String("logfilepath"));
        _log.Label("Diode Client version", $"{_env.Version} {_env.BuildTime}");

        var given = _global.Values("diodeaddrs");
        foreach (string raw in given)
        {
            string addr = raw;
            if (!IsValidRpcAddress(addr))
            {
                addr += ":41046";
                if (!IsValidRpcAddress(addr))
                {
                    return $"invalid RPC address: {raw}";
                }
            }

            if (!_hosts.Contains(addr, StringComparer.Ordinal))
            {
                _hosts.Add(addr);
            }
        }

        if (_hosts.Count == 0)
        {
            _hosts = [.. BootDiodeAddrs];
        }

        var shuffled = _hosts.ToArray();
        Random.Shared.Shuffle(shuffled);
        _hosts = [.. shuffled];

        try
        {
            _db = ClientDb.Open(_global.String("dbpath"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            string message = $"open {_global.String("dbpath")}: {e.Message}";
            _log.PrintError("Couldn't open database", message);
            return message;
        }

        // rpc.EnsurePrivatePEM: a missing or broken key is replaced by a new one.
        if (_db.Get("private") is not { } stored || Identity.FromPem(stored) is not { } key)
        {
            key = Identity.NewKey();
            try
            {
                _db.Put("private", Identity.ToPem(key));
            }
            catch (IOException e)
            {
                _log.Error($"Failed to save ec key to file: {e.Message}");
                throw new ExitException(129);
            }
        }

        _clientAddr = Identity.Address(key);
        _fleet = Identity.DecodeAddress("0x6000000000000000000000000000000000000000")!;
        if (!_loadFromFile && _db.Get("fleet") is { Length: 20 } fleet)
        {
            _fleet = fleet;
        }

        _blockquick = new BlockquickState(_db, _env.PlantStaleBlockquick || _env.Mode == "stale-bq");
        return null;
    }

    private static bool IsValidRpcAddress(string address)
    {
        if (Uri.TryCreate(address, UriKind.Absolute, out var uri) && address.Contains("://", StringComparison.Ordinal) && uri.Host.Length > 0)
        {
            return true;
        }

        int colon = address.LastIndexOf(':');
        return colon >= 0 && !address[..colon].Contains(':', StringComparison.Ordinal) || address.StartsWith('[');
    }

    /// <summary>Diode.Start: persisted controls, the -fleet override, the three labels, the relay pool.</summary>
    private string? Start()
    {
        if (!_loadFromFile && _command == "publish")
        {
            foreach (string mode in new[] { "public", "protected", "private" })
            {
                if (!_sub.IsSet(mode) && _db.Get(PublishedKeys[mode]) is { } stored)
                {
                    var list = JsonSerializer.Deserialize<List<string>>(Encoding.UTF8.GetString(stored)) ?? [];
                    _persisted[mode] = list;
                }
            }
        }

        // applyFleetCLIOverride exists since v1.18.4; before that -fleet was parsed and ignored.
        if (_env.AtLeast(1, 18, 4) && _global.IsSet("fleet"))
        {
            string value = _global.String("fleet").Trim();
            if (value.Length == 0)
            {
                return "-fleet requires a contract address (0x...)";
            }

            if (Identity.DecodeAddress(value) is not { } fleet)
            {
                return $"invalid -fleet address \"{GoFlagSet.GoQuote(value)}\": invalid address";
            }

            _fleet = fleet;
        }

        _log.Label("Client address", Identity.Hex(_clientAddr));
        _log.Label("Fleet address", Identity.Hex(_fleet));
        _log.Label("Chain ID", "1284");
        _pool = new RelayPool(_log, _env, _hosts, (int)_global.Int("retrytimes"), _global.Bool("bqdowngrade"), _blockquick);
        _pool.Start();
        return null;
    }

    private readonly Dictionary<string, List<string>> _persisted = new(StringComparer.Ordinal);

    private string? Version()
    {
        string arch = RuntimeInformation.OSArchitecture switch
        {
            Architecture.X64 => "amd64",
            Architecture.Arm64 => "arm64",
            Architecture.Arm => "arm",
            Architecture.X86 => "386",
            var other => other.ToString().ToLowerInvariant(),
        };
        _log.Label("OS Arch NumCPU", $"linux {arch} {Environment.ProcessorCount}");
        return null;
    }

    /// <summary>configHandler.</summary>
    private string? Config()
    {
        if (Start() is { } startError)
        {
            return startError;
        }

        bool activity = false;
        foreach (string key in _sub.Values("delete"))
        {
            activity = true;
            if (PublishedKeys.TryGetValue(key, out var storage) && !key.Equals("private", StringComparison.OrdinalIgnoreCase))
            {
                _db.Del(storage);
                _log.Label("Deleted:", storage.Replace("published_", "", StringComparison.Ordinal).Replace("_ports", "", StringComparison.Ordinal));
                continue;
            }

            _db.Del(key);
            _log.Label("Deleted:", key);
        }

        foreach (string item in _sub.Values("set"))
        {
            activity = true;
            string[] kv = item.Split('=', 2);
            if (kv.Length != 2)
            {
                _log.PrintError("Couldn't set value", "expected -set name=value format");
                return null;
            }

            if (!kv[0].Trim().Equals("private", StringComparison.OrdinalIgnoreCase) && PublishedKeys.TryGetValue(kv[0], out var storage))
            {
                // A shared control (publish.* persisted as a JSON list); rebuildPublishedPortState validates it.
                string mode = storage.Replace("published_", "", StringComparison.Ordinal).Replace("_ports", "", StringComparison.Ordinal);
                var items = StringSlice(kv[1]);
                PublishedPort.Parse(items, mode, out var portError);
                if (portError is not null)
                {
                    _log.PrintError("Couldn't set published ports", portError);
                    return portError;
                }

                if (items.Count == 0)
                {
                    _db.Del(storage);
                }
                else
                {
                    _db.Put(storage, Encoding.UTF8.GetBytes(JsonSerializer.Serialize(items)));
                }

                _log.Label("Set:", mode);
                continue;
            }

            if (kv[0] == "fleet" && Identity.DecodeAddress(kv[1]) is null && kv[1].Length > 0)
            {
                string fleetError = $"invalid fleet address \"{GoFlagSet.GoQuote(kv[1])}\": invalid address";
                _log.PrintError("Couldn't set value", fleetError);
                return fleetError;
            }

            byte[] value = Encoding.UTF8.GetBytes(kv[1]);
            if (IsHex(kv[1]))
            {
                string hex = kv[1].StartsWith("0x", StringComparison.Ordinal) ? kv[1][2..] : kv[1];
                if (hex.Length % 2 != 0)
                {
                    _log.PrintError("Couldn't decode hex string", "encoding/hex: odd length hex string");
                    return null;
                }

                value = Convert.FromHexString(hex);
                if (kv[0] == "private")
                {
                    // config.go → rpc.LoadPrivateKey → x509.MarshalECPrivateKey, which knows only the NIST curves: in
                    // v1.18.8 a raw secp256k1 key can never be set this way (a wrong length fails earlier, in crypto.ToECDSA).
                    string keyError = Identity.CheckKey(value) ?? "x509: unknown elliptic curve";
                    _log.PrintError("Failed setting key", keyError);
                    return keyError;
                }
            }

            _db.Put(kv[0], value);
            _log.Label("Set:", kv[0]);
        }

        if (_sub.Bool("list") || !activity)
        {
            _log.Label("<KEY>", "<VALUE>");
            foreach (string name in _db.List())
            {
                byte[] value = _db.Get(name)!;
                string label = "<********************************>";
                if (name == "private")
                {
                    _log.Label("<address>", Identity.Hex(_clientAddr));
                    if (_sub.Bool("unsafe"))
                    {
                        // util.EncodeToString(privKey.D.Bytes()): big.Int bytes, leading zeros dropped.
                        label = "0x" + Convert.ToHexStringLower((Identity.FromPem(value) ?? value).SkipWhile(b => b == 0).ToArray());
                    }
                }
                else
                {
                    label = "0x" + Convert.ToHexStringLower(value);
                }

                _log.Label(name, Truncate(name, label, _sub.Bool("full")));
            }
        }

        return null;
    }

    /// <summary>stringSliceFromValue (control_values.go): a JSON array, or the text split on whitespace and commas.</summary>
    private static List<string> StringSlice(string value)
    {
        string v = value.Trim();
        if (v.StartsWith('['))
        {
            try
            {
                return [.. (JsonSerializer.Deserialize<List<string>>(v) ?? []).Select(i => i.Trim()).Where(i => i.Length > 0).Distinct(StringComparer.Ordinal)];
            }
            catch (JsonException)
            {
            }
        }

        return [.. v.Split([' ', '\t', '\n', '\r', ','], StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal)];
    }

    /// <summary>util.IsHex: optional 0x, then hex digits only.</summary>
    private static bool IsHex(string s)
    {
        string h = s.StartsWith("0x", StringComparison.Ordinal) ? s[2..] : s;
        return s.Length >= 2 && h.Length > 0 && h.All(Uri.IsHexDigit);
    }

    /// <summary>config.TruncateConfigValue with TerminalWidth(80) (stdout is not a terminal) minus the 10 reserved.</summary>
    private static string Truncate(string label, string value, bool full)
    {
        if (full)
        {
            return value;
        }

        int max = Math.Max(4, 70 - $"{label,-20} : ".Length);
        return value.Length <= max ? value : value[..(max - 3)] + "...";
    }

    /// <summary>publishHandler.</summary>
    private async Task<string?> PublishAsync()
    {
        if (Start() is { } startError)
        {
            return startError;
        }

        var relay = await _pool!.Validated;
        var (number, hash) = _blockquick.Validate();
        _log.Info($"Network is validated, last valid block: {number} 0x{hash}");
        if (_env.ClientName.Length > 0)
        {
            _clientName = _env.ClientName;
            _log.Label("Client name", $"{_clientName}.diode");
        }

        IReadOnlyList<string> Rules(string mode) => _sub.IsSet(mode) ? _sub.Values(mode) : _persisted.GetValueOrDefault(mode) ?? [];
        var publicRules = Rules("public");
        var protectedRules = Rules("protected");
        var privateRules = Rules("private");
        if (publicRules.Count == 0 && protectedRules.Count == 0 && privateRules.Count == 0 && _sub.Values("sshd").Count == 0 && _global.Values("bind").Count == 0)
        {
            Console.Out.Write("\nERROR: Can't run publish without any arguments!\n HINT: Try 'diode publish -public 8080:80' to publish a local port\n HINT: Check our docs to learn more about publishing ports: https://diode.io/docs/getting-started.html\n HINT: Or run 'diode --help' to see all commands\n");
            Console.Out.Flush();
            throw new ExitException(2);
        }

        _ports = PublishedPort.Build(publicRules, protectedRules, privateRules, out var portError);
        if (portError is not null)
        {
            return $"couldn't apply publish controls: map[ports:{portError}]";
        }

        // DataPool.SetPublishedPorts happens before the table is printed: remote devices can reach the ports from now
        // on. Their listeners start before the table too, so a test that connects on seeing it (the agent reports the
        // client "published" from the table) finds them listening (CI: connection refused once when they started after).
        _remotes = new RemoteDevices(_log, _env, _pool, _peers, () => _ports, () => _hung);
        _remotes.Start();

        // Go registers signal.Notify in Diode.Wait, microseconds after the port table; the stand-in handles SIGINT from
        // just before the table, so a test that signals on seeing the table cannot race the API and remotes starting.
        _waiting = true;
        if (_ports.Count > 0)
        {
            PrintPortSummary();
        }

        if (_global.Bool("api"))
        {
            _api = ConfigApiServer.Listen(_global.String("apiaddr"), ConfigJson, _peers, _env.AtLeast(1, 17, 6), () => _hung, out var apiError);
            if (apiError is not null)
            {
                return apiError;
            }

            _log.Info($"Start config api server {_api.Address}");
        }

        if (_sub.Bool("socksd"))
        {
            // reconcileControlServicesLocked → rpc.Server.startSocksListeners; the stand-in's SOCKS port serves nobody.
            string socks = $"{_sub.String("proxy_host")}:{_sub.Int("proxy_port").ToString(CultureInfo.InvariantCulture)}";
            _log.Info($"Start socks server {socks}");
            try
            {
                _socks = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Parse(_sub.String("proxy_host")), (int)_sub.Int("proxy_port"));
                _socks.Start();
            }
            catch (Exception e) when (e is System.Net.Sockets.SocketException or FormatException)
            {
                return $"listen tcp {socks}: bind: address already in use";
            }
        }

        ScheduleFaults(relay);
        await _interrupted.Task;
        if (_hung)
        {
            // The hung client (#71) does not get through Close: it stays, silent, until it is killed.
            await Task.Delay(Timeout.Infinite);
        }

        return null;
    }

    private void ScheduleFaults(Relay first)
    {
        if (_env.Mode is not ("drop-all" or "silent" or "not-published"))
        {
            return;
        }

        _ = Task.Delay(_env.AfterMs).ContinueWith(
            _ =>
            {
                switch (_env.Mode)
                {
                    case "drop-all":
                        _pool!.DropAll();
                        break;
                    case "silent":
                        _hung = true;
                        _log.Mute();
                        break;
                    default:
                        _log.Info($"Port was not published port = {_ports.FirstOrDefault()?.To ?? 0}", (_pool!.AnyRelay() ?? first).Server);
                        break;
                }
            },
            TaskScheduler.Default);
    }

    /// <summary>"Updated port configurations from control state", then logPublishedPortSummary.</summary>
    private void PrintPortSummary()
    {
        _log.Info("Updated port configurations from control state");
        string name = _clientName.Length > 0 ? _clientName : Identity.Hex(_clientAddr);
        foreach (var port in _ports.Where(p => p.Mode == "public"))
        {
            if (port.To == 80)
            {
                _log.Label("HTTP Gateway Enabled", $"http://{name}.diode.link/");
            }

            if (port.To is (>= 8000 and <= 8100) or (>= 8400 and <= 8500))
            {
                _log.Label("HTTP Gateway Enabled", $"https://{name}.diode.link:{port.To}/");
            }
        }

        _log.Label("Port      <name>", "<extern>     <mode>    <protocol>     <allowlist>");
        foreach (var port in _ports)
        {
            _log.Label($"Port {port.DisplayHost,12}", $"{port.To,8}  {port.Mode,10}       {port.Protocol}        {string.Join(',', port.Allowlist)}");
        }
    }

    /// <summary>configResponse: apiResponse{success, message, config: configEntry} as json.Marshal writes it.</summary>
    private string ConfigJson()
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            w.WriteBoolean("success", true);
            w.WriteString("message", "ok");
            w.WriteStartObject("config");
            w.WriteString("client", Identity.Hex(_clientAddr));
            w.WriteString("fleet", Identity.Hex(_fleet));
            w.WriteString("version", _env.Version);
            w.WriteNumber("lastValidBlockNumber", 0);
            w.WriteString("lastValidBlockHash", "");
            w.WriteStartArray("binds");
            w.WriteEndArray();
            w.WriteStartArray("ports");
            foreach (var port in _ports)
            {
                w.WriteStartObject();
                w.WriteNumber("localPort", port.Src);
                w.WriteNumber("externPort", port.To);
                w.WriteString("protocol", port.Protocol);
                w.WriteString("mode", port.Mode);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartObject("controls");
            WriteControls(w);
            w.WriteEndObject();
            w.WriteBoolean("enableSocks", _sub.TryGet("socksd", out _) && _sub.Bool("socksd"));
            w.WriteBoolean("enableProxy", false);
            w.WriteBoolean("enableSecureProxy", false);
            w.WriteEndObject();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>sharedControlHTTPValues: every ExposeHTTP control, keys sorted as json.Marshal sorts a map.</summary>
    private void WriteControls(Utf8JsonWriter w)
    {
        void List(string key, IEnumerable<string> items)
        {
            w.WriteStartArray(key);
            foreach (string item in items)
            {
                w.WriteStringValue(item);
            }

            w.WriteEndArray();
        }

        IReadOnlyList<string> Rules(string mode) => _sub.IsSet(mode) ? _sub.Values(mode) : _persisted.GetValueOrDefault(mode) ?? [];
        string Sub(string name, string fallback) => _sub.TryGet(name, out _) ? _sub.String(name) : fallback;
        long SubInt(string name, long fallback) => _sub.TryGet(name, out _) ? _sub.Int(name) : fallback;
        w.WriteString("additional_ports", "");
        w.WriteBoolean("allow_redirect", false);
        List("allowlists", _global.Values("allowlists"));
        w.WriteBoolean("api", _global.Bool("api"));
        w.WriteString("apiaddr", _api?.Address ?? _global.String("apiaddr"));
        List("bind", _global.Values("bind"));
        List("blockdomains", _global.Values("blockdomains"));
        List("blocklists", _global.Values("blocklists"));
        w.WriteString("certpath", "./priv/fullchain.pem");
        w.WriteNumber("chain_id", 1284);
        w.WriteBoolean("debug", _global.Bool("debug"));
        List("diodeaddrs", _hosts);
        w.WriteString("fallback", "localhost");
        w.WriteBoolean("gateway", false);
        w.WriteString("httpd_host", "127.0.0.1");
        w.WriteNumber("httpd_port", 80);
        w.WriteString("httpsd_host", "127.0.0.1");
        w.WriteNumber("httpsd_port", 443);
        w.WriteBoolean("logdatetime", _global.Bool("logdatetime"));
        w.WriteString("logfilepath", _global.String("logfilepath"));
        w.WriteString("logstats", "0s");
        w.WriteString("logtarget", _global.String("logtarget"));
        List("private", Rules("private"));
        w.WriteString("privpath", "./priv/privkey.pem");
        List("protected", Rules("protected"));
        List("public", Rules("public"));
        w.WriteString("resolvecachetime", GoDuration.Format(_global.Duration("resolvecachetime")));
        w.WriteBoolean("secure", false);
        w.WriteBoolean("socksd", _sub.TryGet("socksd", out _) && _sub.Bool("socksd"));
        w.WriteString("socksd_host", Sub("proxy_host", "127.0.0.1"));
        w.WriteNumber("socksd_port", SubInt("proxy_port", 1080));
        List("sshd", _sub.TryGet("sshd", out _) ? _sub.Values("sshd") : []);
    }

    public void Dispose()
    {
        _api?.Dispose();
        _remotes?.Dispose();
        _socks?.Dispose();
        _pool?.Dispose();
        _log?.Dispose();
    }

    /// <summary>Diode.Close: the four numbered lines only for a daemon command (publish).</summary>
    private void Close()
    {
        lock (_closeGate)
        {
            if (_closed)
            {
                return;
            }

            _closed = true;
        }

        bool verbose = _command is "publish" or "gateway" or "join" or "socksd" or "mcp";
        if (verbose && _log is not null)
        {
            _log.Info("1/4 Stopping socksserver");
            _log.Info("2/4 Stopping proxyserver");
            _log.Info("3/4 Stopping configserver");
        }

        _api?.Dispose();
        _api = null;
        _remotes?.Dispose();
        _remotes = null;
        _socks?.Dispose();
        _socks = null;
        if (verbose && _log is not null)
        {
            _log.Info("4/4 Stopping client manager");
        }

        _pool?.Stop();
    }
}

using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

// Behaves like `diode` (diodechain/diode_client) as far as the supervisor can tell: its flags, its log lines, and on
// request its faults. Driven by environment variables:
//   DIODE_STANDIN_BEHAVIOUR   normal (default) | crash | hang | disconnect
//   DIODE_STANDIN_AFTER_MS    when crash/disconnect happen (default 500)
//   DIODE_STANDIN_EXIT_CODE   the crash's exit code (default 1)
//   DIODE_STANDIN_CONNECT_DELAY_MS   validate late
//   DIODE_STANDIN_IGNORE_SIGTERM=1   ignore SIGTERM (the supervisor must SIGKILL)
//   DIODE_STANDIN_FORWARD_PORT       forward this loopback port to the first published local port
//   DIODE_STANDIN_ARGS_FILE          append the command line here
// The real client logs through zap's console encoder: the level in ANSI colours, a tab, the message; labels are
// "%-20s : %-42s" (config/flag.go), the port table "Port %12s : %8d  %10s       %s        %s" (control_shared.go).
static void Info(string message) => Console.WriteLine("\u001b[34mINFO\u001b[0m\t" + message);
static void Label(string label, string value) => Info($"{label,-20} : {value,-42}");

string Env(string name, string fallback) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } v ? v : fallback;

if (Environment.GetEnvironmentVariable("DIODE_STANDIN_ARGS_FILE") is { Length: > 0 } argsFile)
{
    File.AppendAllText(argsFile, string.Join(' ', args) + "\n");
}

var rest = args.SkipWhile(a => a.StartsWith('-')).ToList();
if (args.Contains("-h"))
{
    Console.WriteLine("Usage of diode:\n  -dbpath string\n  -update\n  -no-daemon\n  -diodeaddrs string\n  -retrytimes int\n  -timeout duration\nCommands: publish socksd gateway config");
    return 0;
}

if (rest is ["config", "-set", ..])
{
    Label("Set:", rest[2].Split('=')[0]);
    return 0;
}

if (rest.Count == 0 || rest[0] != "publish")
{
    Console.WriteLine("Couldn't execute command: unknown command");
    return 2;
}

var rules = rest.Skip(1).ToList();
if (rules.Count == 0)
{
    Console.WriteLine("ERROR: Can't run publish without any arguments!");
    return 2;
}

using var stopped = new CancellationTokenSource();
bool ignoreTerm = Env("DIODE_STANDIN_IGNORE_SIGTERM", "0") == "1";
using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    if (!ignoreTerm)
    {
        stopped.Cancel();
    }
});

string behaviour = Env("DIODE_STANDIN_BEHAVIOUR", "normal");
int afterMs = int.Parse(Env("DIODE_STANDIN_AFTER_MS", "500"));
Label("Diode Client version", "v1.99.0-standin 2026-11-24");
Label("Client address", $"0x{Environment.ProcessId:x8}{new string('a', 32)}");
Label("Fleet address", "0x6000000000000000000000000000000000000006");
if (behaviour == "hang")
{
    await Task.Delay(Timeout.Infinite, stopped.Token).ContinueWith(_ => { });
    return 0;
}

await Task.Delay(int.Parse(Env("DIODE_STANDIN_CONNECT_DELAY_MS", "0")));
Info("Connected to host: eu1.prenet.diode.io:41046");
Info("Network is validated, last valid block: 7654321 0x00000000000000000000000000000000000000000000000000000000000abcde");
Label("Port      <name>", "<extern>     <mode>    <protocol>     <allowlist>");
if (Environment.GetEnvironmentVariable("DIODE_STANDIN_FORWARD_PORT") is { Length: > 0 } forwardPort)
{
    int target = int.Parse(rules[1].Split(',')[0].Split(':')[0]);
    _ = ForwardAsync(int.Parse(forwardPort), target, stopped.Token);
}

for (int i = 0; i < rules.Count; i += 2)
{
    string mode = rules[i].TrimStart('-');
    string[] rule = rules[i + 1].Split(',');
    string[] ports = rule[0].Split(':');
    Label($"Port {ports[0],12}", $"{int.Parse(ports[1]),8}  {mode,10}       tcp        {string.Join(',', rule.Skip(1))}");
}

if (behaviour == "crash")
{
    await Task.Delay(afterMs);
    Console.WriteLine("\u001b[31mERROR\u001b[0m\tpanic: stand-in crash");
    return int.Parse(Env("DIODE_STANDIN_EXIT_CODE", "1"));
}

if (behaviour == "disconnect")
{
    await Task.Delay(afterMs);
    Console.WriteLine("\u001b[33mWARN\u001b[0m\tDisconnected from host eu1.prenet.diode.io:41046, connection closed");
}

await Task.Delay(Timeout.Infinite, stopped.Token).ContinueWith(_ => { });
Info("Stopping client");
return 0;

static async Task ForwardAsync(int listenPort, int targetPort, CancellationToken cancellationToken)
{
    var listener = new TcpListener(IPAddress.Loopback, listenPort);
    listener.Start();
    while (!cancellationToken.IsCancellationRequested)
    {
        var inbound = await listener.AcceptTcpClientAsync(cancellationToken);
        _ = Task.Run(async () =>
        {
            using var client = inbound;
            using var upstream = new TcpClient();
            await upstream.ConnectAsync(IPAddress.Loopback, targetPort, cancellationToken);
            var a = client.GetStream().CopyToAsync(upstream.GetStream(), cancellationToken);
            var b = upstream.GetStream().CopyToAsync(client.GetStream(), cancellationToken);
            await Task.WhenAny(a, b);
        }, cancellationToken);
    }
}

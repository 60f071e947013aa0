using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Diode.Edge.Tests.Support;

/// <summary>
/// A real mosquitto broker on a free loopback port, with its own config file, persistence and log in a temp directory.
/// Stop (SIGTERM: mosquitto saves its persistence file) and Start again on the same port; disposing kills it.
/// </summary>
public sealed class Mosquitto : IAsyncDisposable
{
    public const string Executable = "/usr/sbin/mosquitto";

    private readonly TempDirectory _dir = new();
    private readonly string _configPath;
    private Process? _process;

    /// <param name="listenerLines">Extra lines for the listener (TLS files, e.g. <c>certfile …</c>).</param>
    /// <param name="passwordFile">Refuse anonymous clients and check them against this file (made with mosquitto_passwd).</param>
    /// <param name="plainListener">A second, plain listener on <see cref="PlainPort"/> (for a test's subscriber when the first one demands client certificates).</param>
    public Mosquitto(IEnumerable<string>? listenerLines = null, string? passwordFile = null, bool plainListener = false)
    {
        Port = LoopbackPort.Free();
        PlainPort = plainListener ? LoopbackPort.Free() : 0;
        var config = new StringBuilder();
        if (Environment.UserName == "root")
        {
            // As root, mosquitto would switch to the user "mosquitto", which cannot read this test's 0600 files.
            config.AppendLine("user root");
        }

        config.AppendLine("persistence true");
        config.AppendLine($"persistence_location {_dir.Path}/");
        config.AppendLine($"log_dest file {LogPath}");
        config.AppendLine("log_type all");
        config.AppendLine("max_queued_messages 100000");
        config.AppendLine($"listener {Port} 127.0.0.1");
        foreach (string line in listenerLines ?? [])
        {
            config.AppendLine(line);
        }

        if (plainListener)
        {
            config.AppendLine($"listener {PlainPort} 127.0.0.1");
        }

        config.AppendLine(passwordFile is null ? "allow_anonymous true" : $"allow_anonymous false\npassword_file {passwordFile}");
        _configPath = _dir.File("mosquitto.conf", config.ToString());
    }

    public int Port { get; }

    /// <summary>The plain listener's port, 0 when there is none.</summary>
    public int PlainPort { get; }

    public string Directory => _dir.Path;

    public string LogPath => Path.Combine(_dir.Path, "mosquitto.log");

    public static async Task<Mosquitto> StartAsync(IEnumerable<string>? listenerLines = null, string? passwordFile = null, bool plainListener = false)
    {
        var broker = new Mosquitto(listenerLines, passwordFile, plainListener);
        await broker.StartAsync();
        return broker;
    }

    /// <summary>Starts the broker and returns once it accepts TCP connections on its port.</summary>
    public async Task StartAsync()
    {
        var psi = new ProcessStartInfo(Executable) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(_configPath);
        _process = Tool.Start(psi);
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited)
            {
                string log = File.Exists(LogPath) ? await File.ReadAllTextAsync(LogPath) : string.Empty;
                throw new InvalidOperationException($"mosquitto exited with {_process.ExitCode}: {await _process.StandardError.ReadToEndAsync()} {log}");
            }

            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException) when (deadline.Elapsed < TimeSpan.FromSeconds(10))
            {
                await Task.Delay(50);
            }
        }
    }

    /// <summary>SIGTERM, as systemd stops it: mosquitto closes every connection and writes its persistence file.</summary>
    public async Task StopAsync()
    {
        if (_process is not { HasExited: false } process)
        {
            return;
        }

        var (code, _, stderr) = await Tool.RunAsync("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        Assert.True(code == 0, stderr);
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        process.Dispose();
        _process = null;
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { } process)
        {
            if (!process.HasExited)
            {
                process.Kill();
                await process.WaitForExitAsync();
            }

            process.Dispose();
        }

        _dir.Dispose();
    }
}

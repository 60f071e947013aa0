using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Diode.Edge.Tests.Vm;

/// <summary>
/// One QEMU guest (software emulation, no KVM) booted from the test image of tests/vm: its serial console is QEMU's
/// stdio. Every console line is kept with the moment it arrived (read on a dedicated thread, so the stamps are the
/// guest's, not the test's thread pool's); commands go to the guest's console shell, which answers "diode-vm: done rc".
/// The agent's HTTP port 8080 is forwarded to <see cref="HttpBase"/> on the host's loopback.
/// </summary>
public sealed partial class QemuVm : IAsyncDisposable
{
    private readonly Process _qemu;
    private readonly List<(long At, string Text)> _lines = [];
    private readonly SemaphoreSlim _changed = new(0);
    private readonly Thread _reader;
    private readonly long _started = Stopwatch.GetTimestamp();

    private readonly string _logPath;

    private QemuVm(Process qemu, int port, string logPath)
    {
        _qemu = qemu;
        _logPath = logPath;
        HttpBase = new Uri($"http://127.0.0.1:{port}/");
        _reader = new Thread(ReadConsole) { IsBackground = true, Name = "qemu console" };
        _reader.Start();
        _ = qemu.StandardError.ReadToEndAsync().ContinueWith(t => Add("qemu stderr: " + t.Result), TaskScheduler.Default);
    }

    public Uri HttpBase { get; }

    public bool HasExited => _qemu.HasExited;

    public int LineCount
    {
        get
        {
            lock (_lines)
            {
                return _lines.Count;
            }
        }
    }

    /// <summary>
    /// Boots <paramref name="image"/>; <paramref name="devices"/> are extra QEMU arguments (e.g. a watchdog). The whole
    /// console, time-stamped, is kept in artifacts/vm/logs/<paramref name="name"/>.log when the VM is disposed.
    /// </summary>
    public static QemuVm Boot(VmImage image, string name, params string[] devices)
    {
        ArgumentNullException.ThrowIfNull(image);
        int port = Support.LoopbackPort.Free();
        bool arm = image.Arch == "arm64";
        var psi = new ProcessStartInfo(arm ? "qemu-system-aarch64" : "qemu-system-x86_64")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        string[] machine = arm ? ["-M", "virt", "-cpu", "cortex-a72"] : ["-M", "pc"];
        string console = arm ? "ttyAMA0" : "ttyS0";
        string nic = arm ? "virtio-net-pci" : "e1000";
        foreach (string arg in (string[])[
            .. machine, "-accel", "tcg", "-smp", "1", "-m", "1536", "-nographic", "-no-user-config", "-nodefaults",
            "-serial", "stdio", "-monitor", "none",
            "-kernel", image.Kernel, "-initrd", image.Initrd,
            "-append", $"console={console} loglevel=4 panic=-1 quiet",
            "-netdev", $"user,id=net0,hostfwd=tcp:127.0.0.1:{port}-:8080", "-device", $"{nic},netdev=net0,romfile=",
            .. devices])
        {
            psi.ArgumentList.Add(arg);
        }

        string log = Path.Combine(Support.RepoRoot.Path, "artifacts", "vm", "logs", name + ".log");
        Directory.CreateDirectory(Path.GetDirectoryName(log)!);
        return new QemuVm(Support.Tool.Start(psi), port, log);
    }

    /// <summary>Waits for a console line at index <paramref name="from"/> or later that matches; returns its index and arrival.</summary>
    public async Task<(int Index, long At, Match Match)> WaitForAsync(Regex pattern, int from, TimeSpan timeout, string what)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        long deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        int next = from;
        while (true)
        {
            lock (_lines)
            {
                for (; next < _lines.Count; next++)
                {
                    var match = pattern.Match(_lines[next].Text);
                    if (match.Success)
                    {
                        return (next, _lines[next].At, match);
                    }
                }
            }

            long left = deadline - Stopwatch.GetTimestamp();
            if (left <= 0)
            {
                throw new TimeoutException($"{what}: no console line matched /{pattern}/ within {timeout.TotalSeconds:F0} s; console:\n{Transcript()}");
            }

            await _changed.WaitAsync(TimeSpan.FromMilliseconds(Math.Min(500, left * 1000.0 / Stopwatch.Frequency)));
        }
    }

    /// <summary>Runs a shell command on the guest's console and returns its exit code and the lines it printed.</summary>
    public async Task<(int ExitCode, string Output)> RunAsync(string command, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(command);
        Add("host> " + command);
        int from = LineCount;
        await _qemu.StandardInput.WriteLineAsync(command);
        await _qemu.StandardInput.FlushAsync();
        var (index, _, match) = await WaitForAsync(DoneLine(), from, timeout ?? TimeSpan.FromSeconds(60), "guest command `" + command + "`");
        lock (_lines)
        {
            return (int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), string.Join('\n', _lines.Skip(from).Take(index - from).Select(l => l.Text)));
        }
    }

    /// <summary>Runs a command that must succeed.</summary>
    public async Task<string> MustRunAsync(string command, TimeSpan? timeout = null)
    {
        var (code, output) = await RunAsync(command, timeout);
        Assert.True(code == 0, $"guest command `{command}` exited {code}: {output}\nconsole:\n{Transcript()}");
        return output;
    }

    /// <summary>The lines that match, from <paramref name="from"/> on.</summary>
    public IReadOnlyList<(long At, string Text)> Lines(Regex pattern, int from = 0)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        lock (_lines)
        {
            return [.. _lines.Skip(from).Where(l => pattern.IsMatch(l.Text))];
        }
    }

    /// <summary>The console so far (the last <paramref name="last"/> lines), seconds since QEMU started, for failure messages and the log.</summary>
    public string Transcript(int last = 200)
    {
        lock (_lines)
        {
            return string.Join('\n', _lines.TakeLast(last).Select(l => $"{Stopwatch.GetElapsedTime(_started, l.At).TotalSeconds,7:F2} {l.Text}"));
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_qemu.HasExited)
        {
            _qemu.Kill();
        }

        await _qemu.WaitForExitAsync();
        _reader.Join(TimeSpan.FromSeconds(5));
        await File.WriteAllTextAsync(_logPath, Transcript(int.MaxValue) + "\n");
        _qemu.Dispose();
        _changed.Dispose();
    }

    private void ReadConsole()
    {
        while (_qemu.StandardOutput.ReadLine() is { } line)
        {
            Add(line.TrimEnd('\r'));
        }

        Add("qemu: exited");
    }

    private void Add(string text)
    {
        lock (_lines)
        {
            _lines.Add((Stopwatch.GetTimestamp(), text));
        }

        _changed.Release();
    }

    [GeneratedRegex(@"^diode-vm: done (\d+)")]
    private static partial Regex DoneLine();
}

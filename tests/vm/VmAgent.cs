using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Diode.Edge.Tests.Vm;

/// <summary>Boots a test VM and runs the packaged agent in it with a given config, the way the scenarios need.</summary>
internal static partial class VmAgent
{
    /// <summary>Boot under TCG: Debian's kernel reaches /init in seconds, the agent then needs its JIT (tens of seconds on arm64).</summary>
    public static TimeSpan BootTimeout(VmImage image) => image.Arch == "arm64" ? TimeSpan.FromMinutes(4) : TimeSpan.FromMinutes(2);

    public static TimeSpan AgentStartTimeout(VmImage image) => image.Arch == "arm64" ? TimeSpan.FromMinutes(5) : TimeSpan.FromMinutes(3);

    /// <summary>Boots and waits for the init's "booted" line; returns the VM and that line's fields.</summary>
    public static async Task<(QemuVm Vm, Booted Boot)> BootAsync(VmImage image, string name, params string[] devices)
    {
        var vm = QemuVm.Boot(image, name, devices);
        try
        {
            return (vm, await WaitForBootAsync(vm, image, 0));
        }
        catch
        {
            await vm.DisposeAsync();
            throw;
        }
    }

    public static async Task<Booted> WaitForBootAsync(QemuVm vm, VmImage image, int from)
    {
        var (index, at, match) = await vm.WaitForAsync(BootedLine(), from, BootTimeout(image), $"{image.Arch} boot");
        int? bus = int.TryParse(match.Groups["bus"].Value, CultureInfo.InvariantCulture, out int n) ? n : null;
        return new Booted(index, at, bus, match.Groups["watchdog"].Value, match.Groups["bootstatus"].Value);
    }

    /// <summary>
    /// The agent's config in the guest (one line): HTTP on every interface (the host reaches it through the forwarded
    /// port), state in the guest's tmpfs, the given sensor, and the watchdog device when given (10 s timeout, pets every
    /// 2 s, 5 s grace).
    /// </summary>
    public static string Config(string sensor, string? watchdogDevice) =>
        "{ \"http\": { \"listen\": \"0.0.0.0\", \"port\": 8080 }, \"identity\": { \"keyPath\": \"/var/lib/diode-edge/device.key\" }, " +
        "\"store\": { \"path\": \"/var/lib/diode-edge/store.db\" }, " +
        (watchdogDevice is null ? string.Empty : string.Create(CultureInfo.InvariantCulture, $"\"watchdog\": {{ \"enabled\": true, \"device\": \"{watchdogDevice}\", \"timeout\": \"{WatchdogTimeout}s\", \"petInterval\": \"2s\", \"grace\": \"5s\" }}, ")) +
        $"\"sensors\": [ {sensor} ] }}";

    /// <summary>The hardware timeout the scenarios program (seconds).</summary>
    public const int WatchdogTimeout = 10;

    /// <summary>Writes the agent's config (one line of JSON) and starts it; returns when it serves HTTP (and armed the watchdog, if any).</summary>
    public static async Task<int> StartAsync(QemuVm vm, VmImage image, string config, bool watchdog)
    {
        using var parsed = JsonDocument.Parse(config); // the config must be valid JSON before it is echoed into the guest
        Assert.DoesNotContain("'", config, StringComparison.Ordinal);
        int from = vm.LineCount;
        await vm.MustRunAsync($"echo '{config}' > /etc/diode-edge/vm-config.json");
        await vm.MustRunAsync("start_agent");
        var (_, _, started) = await vm.WaitForAsync(StartedOrExitedLine(), from, AgentStartTimeout(image), "the agent's start");
        Assert.False(started.Value.StartsWith("diode-vm", StringComparison.Ordinal), $"the agent did not start ({started.Value}):\n{vm.Transcript()}");
        if (watchdog)
        {
            await vm.WaitForAsync(ArmedLine(), from, TimeSpan.FromSeconds(30), "the watchdog armed");
        }

        return from;
    }

    /// <summary>GETs <paramref name="path"/> from the agent in the VM, retrying for a minute: its first requests run cold (JIT under emulation).</summary>
    public static async Task<string> GetStringAsync(QemuVm vm, string path)
    {
        using var http = new HttpClient { BaseAddress = vm.HttpBase, Timeout = TimeSpan.FromSeconds(30) };
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (true)
        {
            try
            {
                return await http.GetStringAsync(path);
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && DateTime.UtcNow < deadline)
            {
                await Task.Delay(1000);
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                throw new TimeoutException($"GET {path} from the VM failed: {ex.Message}\nconsole:\n{vm.Transcript()}", ex);
            }
        }
    }

    /// <summary>Polls the agent's /health through the forwarded port until <paramref name="until"/> holds.</summary>
    public static async Task<JsonElement> HealthAsync(QemuVm vm, Func<int, JsonElement, bool> until, TimeSpan timeout)
    {
        using var http = new HttpClient { BaseAddress = vm.HttpBase, Timeout = TimeSpan.FromSeconds(30) };
        var deadline = DateTime.UtcNow + timeout;
        string last = "no answer";
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var response = await http.GetAsync("/health");
                var body = await response.Content.ReadFromJsonAsync<JsonElement>();
                last = $"{(int)response.StatusCode} {body}";
                if (until((int)response.StatusCode, body))
                {
                    return body;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException)
            {
                last = ex.Message;
            }

            await Task.Delay(500);
        }

        throw new TimeoutException($"/health did not reach the expected state in {timeout.TotalSeconds:F0} s; last: {last}\nconsole:\n{vm.Transcript()}");
    }

    [GeneratedRegex(@"diode-vm: booted arch=\S+ kernel=\S+ i2c-bus=(?<bus>\S+) watchdog=(?<watchdog>\S+) bootstatus=(?<bootstatus>\S+)")]
    public static partial Regex BootedLine();

    [GeneratedRegex(@"diode-edge \S+ started with |diode-vm: agent exited \d+")]
    public static partial Regex StartedOrExitedLine();

    [GeneratedRegex(@"watchdog: \S+ \(.*\) armed, timeout")]
    public static partial Regex ArmedLine();

    public sealed record Booted(int Index, long At, int? I2cBus, string Watchdog, string BootStatus);
}

using Diode.Edge.Agent.Configuration;
using Diode.Edge.Agent.Identity;
using Diode.Edge.Watchdog;

namespace Diode.Edge.Agent.Hosting;

/// <summary>
/// Where the boot history lives: <c>boot-history.json</c> in the agent's state directory, the one that holds the device
/// key (<c>/var/lib/diode-edge</c> when packaged), so the agent and <c>diode-edge watchdog</c> find the same file.
/// </summary>
internal static class BootHistoryLocation
{
    public const string FileName = "boot-history.json";

    public static string For(AgentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        string key = DeviceKeyFile.Resolve(options.Identity.KeyPath, new IdentityOptions().KeyPath);
        return Path.Combine(Path.GetDirectoryName(Path.GetFullPath(key))!, FileName);
    }

    /// <summary>The reset-loop guard of this boot (the kernel's boot id; "unknown" where there is none, so every start is the same boot).</summary>
    public static ResetLoopGuard Guard(AgentOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new ResetLoopGuard(new BootHistoryFile(For(options)), options.Watchdog.ResetLoop, time, ResetLoopGuard.CurrentBootId() ?? "unknown");
    }
}

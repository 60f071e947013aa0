using Diode.Edge.Agent.Configuration;
using Diode.Edge.Agent.Hosting;
using Diode.Edge.Watchdog;

namespace Diode.Edge.Agent.Doctor.Checks;

/// <summary><c>resetLoop</c>: the boot history, and whether the reset-loop guard suspends a check on this boot (and so a part of the Pi is broken).</summary>
internal sealed class ResetLoopCheck : IDoctorCheck
{
    public string Name => "resetLoop";

    public ValueTask<DoctorFinding> RunAsync(DoctorContext context, CancellationToken cancellationToken) => ValueTask.FromResult(Check(context));

    public DoctorFinding Check(DoctorContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var options = context.Options ?? new AgentOptions();
        string path = context.Root == "/"
            ? BootHistoryLocation.For(options)
            : context.Path(Path.Combine(Path.GetDirectoryName(options.Identity.KeyPath) ?? "/", BootHistoryLocation.FileName));
        var file = new BootHistoryFile(path);
        var records = file.Load(out string? problem);
        if (problem is not null)
        {
            return new(Name, DoctorStatus.Warn, $"the boot history cannot be read ({problem}): reset loops are not recognised until the agent writes a new one",
                "sudo diode-edge watchdog reset-loop clear");
        }

        string bootId = ResetLoopGuard.CurrentBootId(context.Path("/proc/sys/kernel/random/boot_id")) ?? "unknown";
        if (ResetLoopGuard.FindLoop(records, bootId, options.Watchdog.ResetLoop) is { } loop)
        {
            return new(Name, DoctorStatus.Warn,
                $"resetLoop: {loop.Summary}: the watchdog reset the board because of {loop.Check} on each of the last {loop.Boots} boots, so on this boot {loop.Check} no longer stops the petting (the agent's own hangs still reset the board)",
                $"repair {loop.Check} (the suspension ends by itself when it passes again; diode-edge watchdog status shows the history), or end it now: sudo diode-edge watchdog reset-loop clear");
        }

        int resets = records.Count(r => r.ResetByWatchdog);
        return new(Name, DoctorStatus.Ok, records.Count == 0
            ? "no reset loop (no boot history yet)"
            : $"no reset loop ({records.Count} boots in the history, {resets} began with a watchdog reset)");
    }
}

namespace Diode.Edge.Watchdog;

/// <summary>
/// Keeps the boot history and finds reset loops in it: a Pi whose critical sensor or system check is dead
/// must not reset every couple of minutes for ever. When each of the last <see cref="ResetLoopOptions.Boots"/> boots
/// (all started within <see cref="ResetLoopOptions.Window"/> of this one) ended in a watchdog reset after the same
/// check closed the health gate, and that check is not the agent's own liveness, <see cref="StartBoot"/> returns it:
/// the caller stops letting it close the gate on this boot. Every change is read from the file, changed and written
/// back under an exclusive lock on the history's directory, so a <c>diode-edge watchdog reset-loop clear</c> from another
/// process is neither undone by the agent nor interleaved with its write.
/// </summary>
public sealed class ResetLoopGuard(BootHistoryFile file, ResetLoopOptions options, TimeProvider time, string bootId)
{
    private readonly Lock _lock = new();

    public BootHistoryFile File => file;

    public string BootId => bootId;

    /// <summary>The kernel's id of this boot (<c>/proc/sys/kernel/random/boot_id</c>), or null where there is none.</summary>
    public static string? CurrentBootId(string path = "/proc/sys/kernel/random/boot_id")
    {
        try
        {
            return System.IO.File.Exists(path) ? System.IO.File.ReadAllText(path).Trim() : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>
    /// Adds this boot to the history (once per boot: an agent restarted within the boot keeps the first record) and
    /// returns the reset loop it ends, if any. <paramref name="problem"/> says why the old history could not be read.
    /// </summary>
    public ResetLoopSuspension? StartBoot(bool resetByWatchdog, out string? problem)
    {
        lock (_lock)
        {
            using var held = file.Lock();
            List<BootRecord> records = [.. file.Load(out problem)];
            if (records.FindIndex(r => r.BootId == bootId) < 0)
            {
                records.Add(new BootRecord(bootId, time.GetUtcNow(), resetByWatchdog, null, false));
                file.Save(records);
            }

            return FindLoop(records, bootId, options);
        }
    }

    /// <summary>The reset loop the history on disk shows now (null once it was cleared, by hand or because the check passed).</summary>
    public ResetLoopSuspension? CurrentLoop()
    {
        lock (_lock)
        {
            return FindLoop(file.Load(out _), bootId, options);
        }
    }

    /// <summary>Notes which check closed the gate in this boot; written at once, before the grace runs out and the board resets.</summary>
    public void RecordGateClosed(GateFailure failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        Update(r => r with { GateClosedBy = failure.Check, GateClosedByAgentLiveness = failure.AgentLiveness });
    }

    /// <summary>The gate stayed open again: a reset later in this boot is not that check's doing.</summary>
    public void RecordGateOpen() => Update(r => r with { GateClosedBy = null, GateClosedByAgentLiveness = false });

    /// <summary>Forgets every earlier boot (this one stays, with nothing against it): the loop, if any, is over.</summary>
    public void Clear()
    {
        lock (_lock)
        {
            using var held = file.Lock();
            var current = file.Load(out _).LastOrDefault(r => r.BootId == bootId);
            file.Save(current is null ? [] : [current with { GateClosedBy = null, GateClosedByAgentLiveness = false }]);
        }
    }

    /// <summary>
    /// The loop that the boots before <paramref name="currentBootId"/> make: counted back from the boot before it, each
    /// boot whose gate was last closed by the same check (not the agent's liveness), followed by a boot that began with a
    /// watchdog reset, and started within the window of the current boot's start. Null below the configured count.
    /// </summary>
    public static ResetLoopSuspension? FindLoop(IReadOnlyList<BootRecord> records, string currentBootId, ResetLoopOptions options)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(options);
        int current = -1;
        for (int i = records.Count - 1; i >= 0; i--)
        {
            if (records[i].BootId == currentBootId)
            {
                current = i;
                break;
            }
        }

        if (options.Boots <= 0 || current < 1 || records[current - 1].GateClosedBy is not { } check || records[current - 1].GateClosedByAgentLiveness)
        {
            return null;
        }

        var since = records[current].StartedAt - options.Window;
        int boots = 0;
        for (int i = current - 1; i >= 0; i--)
        {
            var boot = records[i];
            if (boot.GateClosedBy != check || boot.GateClosedByAgentLiveness || !records[i + 1].ResetByWatchdog || boot.StartedAt < since)
            {
                break;
            }

            boots++;
        }

        return boots >= options.Boots ? new ResetLoopSuspension(check, boots) : null;
    }

    private void Update(Func<BootRecord, BootRecord> change)
    {
        lock (_lock)
        {
            using var held = file.Lock();
            List<BootRecord> records = [.. file.Load(out _)];
            int index = records.FindLastIndex(r => r.BootId == bootId);
            if (index < 0)
            {
                // The file was cleared, or lost: this boot's record starts again (how it began is not known any more).
                records.Add(new BootRecord(bootId, time.GetUtcNow(), false, null, false));
                index = records.Count - 1;
            }

            records[index] = change(records[index]);
            file.Save(records);
        }
    }
}

using Diode.Edge.Interop;

namespace Diode.Edge.Agent.Processes;

/// <summary>
/// prctl(PR_SET_CHILD_SUBREAPER): descendants of the agent whose parent dies are re-parented to the agent instead of
/// init, so a grandchild that left its process group (setsid, a double fork) is still the agent's to find, kill and
/// reap (<see cref="TaggedDescendants"/>). Reaping is by pid only: waitpid(-1) would steal the exit status of the
/// children System.Diagnostics.Process waits for.
/// </summary>
internal static class ChildSubreaper
{
    private const int PrSetChildSubreaper = 36;
    private const int WNoHang = 1;

    /// <summary>True once this process is a subreaper (Linux 3.4+).</summary>
    public static bool IsActive { get; private set; }

    public static bool TryBecome()
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        IsActive = Libc.Prctl(PrSetChildSubreaper, 1, 0, 0, 0) == 0;
        return IsActive;
    }

    /// <summary>Collects <paramref name="pid"/>'s exit status if it is a child of this process that has exited; true when reaped.</summary>
    public static bool TryReap(int pid) => pid > 0 && Libc.WaitPid(pid, out _, WNoHang) == pid;
}

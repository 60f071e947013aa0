using Diode.Edge.Interop;

namespace Diode.Edge.Agent.Processes;

/// <summary>kill(2) on a whole process group, so the client and anything it spawned stop together.</summary>
internal static class ProcessSignals
{
    public const int SigInt = 2;
    public const int SigTerm = 15;
    public const int SigKill = 9;

    /// <summary>Signals process group <paramref name="pgid"/>; false when it no longer exists.</summary>
    public static bool SignalGroup(int pgid, int signal) => Libc.Kill(-pgid, signal) == 0;

    /// <summary>Signals the single process <paramref name="pid"/>; false when it no longer exists.</summary>
    public static bool SignalProcess(int pid, int signal) => pid > 0 && Libc.Kill(pid, signal) == 0;
}

using System.Runtime.InteropServices;

namespace Diode.Edge.Tests.DiodeStandIn;

/// <summary>
/// Go's signal behaviour: a signal without a Notify handler kills the process with that signal (SIGTERM always, since
/// the client never handles it; SIGINT until Diode.Wait registers signal.Notify). .NET would otherwise turn SIGTERM and
/// SIGINT into a graceful exit with a code, so the stand-in resets the disposition to SIG_DFL and re-raises.
/// </summary>
internal static partial class Signals
{
    public const int SigInt = 2;
    public const int SigTerm = 15;

    /// <summary>Dies by the signal, as with the default disposition: the parent sees WIFSIGNALED, not an exit code.</summary>
    public static void DieBy(int signal)
    {
        Console.Out.Flush();
        Console.Error.Flush();
        _ = Signal(signal, IntPtr.Zero);
        _ = Kill(Environment.ProcessId, signal);
        Thread.Sleep(Timeout.Infinite);
    }

    [LibraryImport("libc", EntryPoint = "signal")]
    private static partial IntPtr Signal(int signum, IntPtr handler);

    [LibraryImport("libc", EntryPoint = "kill")]
    private static partial int Kill(int pid, int signal);
}

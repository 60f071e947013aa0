using Diode.Edge.Agent.Processes;

namespace Diode.Edge.Agent.Diode;

/// <summary>
/// One run of the client as a child in a process group of its own (<see cref="ChildProcessGroup"/>: its lines read
/// bounded, its group and its tagged descendants killed when it exits), stopped the way it understands: SIGINT to its
/// group (it prints <c>1/4 … 4/4</c> and exits 0), then SIGKILL to the group after <c>diode.stopGrace</c>.
/// </summary>
internal sealed class DiodeClientProcess : IAsyncDisposable
{
    private readonly ChildProcessGroup _child;
    private readonly TimeSpan _stopGrace;
    private readonly TimeProvider _time;

    private DiodeClientProcess(ChildProcessGroup child, TimeSpan stopGrace, TimeProvider time)
    {
        _child = child;
        _stopGrace = stopGrace;
        _time = time;
    }

    public int Pid => _child.Pid;

    /// <summary>Completes with the exit code (128 + signal when killed by one) as soon as the client exits.</summary>
    public Task<int> Exited => _child.Exited;

    /// <summary>Lines of its output cut at the line bound.</summary>
    public long TruncatedLines => _child.TruncatedLines;

    /// <summary>Starts <paramref name="binary"/>; each line it prints goes to <paramref name="onLine"/>. Throws <see cref="System.ComponentModel.Win32Exception"/> when it cannot be started.</summary>
    public static DiodeClientProcess Start(string binary, IReadOnlyList<string> args, Action<string> onLine, TimeSpan stopGrace, TimeProvider time) =>
        new(ChildProcessGroup.Start(binary, args, onLine), stopGrace, time);

    /// <summary>SIGINT to the group, then SIGKILL to it after the stop grace; true when the client exited within the grace.</summary>
    public Task<bool> StopAsync() => _child.StopAsync(ProcessSignals.SigInt, _stopGrace, _time);

    /// <summary>Waits for the client to exit, then for its last lines (the error it died of); its exit code.</summary>
    public async Task<int> ExitedAsync()
    {
        int code = await _child.Exited.ConfigureAwait(false);
        await _child.DrainAsync().ConfigureAwait(false);
        return code;
    }

    public ValueTask DisposeAsync() => _child.DisposeAsync();
}

using System.Diagnostics;
using Diode.Edge.Contract;

namespace Diode.Edge.Agent.Processes;

/// <summary>
/// One child started in a session and process group of its own (setsid), its stdout and stderr read as bounded lines,
/// and stopped as a group: a signal of the caller's choice, then SIGKILL to the whole group after a grace. When the
/// child itself exits, the rest of its group is killed at once and its pipes are given up after a short wait, so a
/// grandchild that keeps them open can neither hold the supervisor nor outlive the child. Descendants that left the
/// group (setsid, a double fork) are found by the tag they inherited and killed too (<see cref="TaggedDescendants"/>);
/// the agent is a subreaper, so it reaps those re-parented to it.
/// </summary>
internal sealed class ChildProcessGroup : IAsyncDisposable
{
    /// <summary>How long the output is drained after the child exited before its pipes are closed.</summary>
    public static readonly TimeSpan DrainAfterExit = TimeSpan.FromSeconds(2);

    private readonly Process _process;
    private readonly Task _stdout;
    private readonly Task _stderr;
    private readonly BoundedLineReader _out;
    private readonly BoundedLineReader _err;
    private readonly Task<int> _exited;
    private readonly TaggedDescendants _descendants;

    private ChildProcessGroup(Process process, TaggedDescendants descendants, Action<string> onLine)
    {
        _process = process;
        _descendants = descendants;
        Pid = process.Id;
        _out = new BoundedLineReader(process.StandardOutput.BaseStream);
        _err = new BoundedLineReader(process.StandardError.BaseStream);
        _stdout = PumpAsync(_out, onLine);
        _stderr = PumpAsync(_err, onLine);
        _exited = WaitAsync(process);
    }

    public int Pid { get; }

    /// <summary>Completes with the exit code (128 + signal when killed by one) as soon as the child exits, whatever its descendants do.</summary>
    public Task<int> Exited => _exited;

    /// <summary>Lines longer than <see cref="BoundedLineReader.DefaultMaxLineLength"/> that were cut.</summary>
    public long TruncatedLines => _out.TruncatedLines + _err.TruncatedLines;

    /// <summary>Starts <paramref name="binary"/> with <paramref name="args"/>; every line of its output goes to <paramref name="onLine"/> (on a pool thread, in order per stream).</summary>
    public static ChildProcessGroup Start(string binary, IReadOnlyList<string> args, Action<string> onLine)
    {
        ArgumentNullException.ThrowIfNull(binary);
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(onLine);

        // setsid(1) makes the child a session and group leader and execs it in place: the pid is the client's.
        bool setsid = File.Exists("/usr/bin/setsid");
        var psi = new ProcessStartInfo(setsid ? "/usr/bin/setsid" : binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        if (setsid)
        {
            psi.ArgumentList.Add(binary);
        }

        foreach (string arg in args)
        {
            psi.ArgumentList.Add(arg);
        }

        // Inherited by every descendant, so the ones that leave the group are still found (TaggedDescendants).
        var descendants = new TaggedDescendants();
        psi.Environment[TaggedDescendants.Variable] = descendants.Token;
        var process = new Process { StartInfo = psi };
        try
        {
            process.Start();
        }
        catch
        {
            process.Dispose();
            throw;
        }

        process.StandardInput.Close();
        return new ChildProcessGroup(process, descendants, onLine);
    }

    /// <summary>Sends <paramref name="signal"/> to the group and waits up to <paramref name="grace"/> for the child to exit; then SIGKILL to the group. True when it exited within the grace.</summary>
    public async Task<bool> StopAsync(int signal, TimeSpan grace, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        bool inTime = true;
        if (!_exited.IsCompleted)
        {
            ProcessSignals.SignalGroup(Pid, signal);
            try
            {
                await _exited.WaitAsync(grace, time).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                inTime = false;
            }
        }

        ProcessSignals.SignalGroup(Pid, ProcessSignals.SigKill);
        await _exited.ConfigureAwait(false);
        return inTime;
    }

    public async ValueTask DisposeAsync()
    {
        ProcessSignals.SignalGroup(Pid, ProcessSignals.SigKill);
        await _exited.ConfigureAwait(false);
        await DrainAsync().ConfigureAwait(false);
        _process.Dispose();
        _out.Dispose();
        _err.Dispose();
    }

    /// <summary>Gives the readers a moment to take the last lines, then closes the pipes (a descendant may hold them open for ever).</summary>
    public async Task DrainAsync()
    {
        var both = Task.WhenAll(_stdout, _stderr);
        if (await Task.WhenAny(both, Task.Delay(DrainAfterExit)).ConfigureAwait(false) != both)
        {
            _process.StandardOutput.BaseStream.Dispose();
            _process.StandardError.BaseStream.Dispose();
            await Task.WhenAny(both, Task.Delay(DrainAfterExit)).ConfigureAwait(false);
        }
    }

    private async Task<int> WaitAsync(Process process)
    {
        await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);

        // The child is gone: nothing of its group, nor anything it started elsewhere, may outlive it.
        ProcessSignals.SignalGroup(Pid, ProcessSignals.SigKill);
        await _descendants.KillAllAsync(exceptPid: -1).ConfigureAwait(false);
        return process.ExitCode;
    }

    private static async Task PumpAsync(BoundedLineReader reader, Action<string> onLine)
    {
        try
        {
            while (await reader.ReadLineAsync().ConfigureAwait(false) is { } line)
            {
                onLine(line);
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or OperationCanceledException)
        {
            // The pipe was closed under the reader after the child exited.
        }
    }
}

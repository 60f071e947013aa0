using System.Text;
using Diode.Edge.Contract;

namespace Diode.Edge.Agent.Processes;

/// <summary>
/// Runs a short command to its end with a time limit and a bound on what is kept of its output: lines of at most
/// <see cref="BoundedLineReader.DefaultMaxLineLength"/> bytes, <see cref="MaxOutput"/> characters in all (the rest is read
/// and dropped, so a child that never stops writing can neither fill the agent's memory nor block on a full pipe). It runs
/// in a process group of its own (<see cref="ChildProcessGroup"/>): on time-out, and as soon as it exits, the whole group
/// is killed, so nothing it started outlives it. The one runner of short commands: the doctor's and the supervisor's
/// <c>diode version</c> and <c>config -set fleet</c>, and the watchdog's test command.
/// </summary>
internal static class BoundedCommand
{
    public const int MaxOutput = 64 * 1024;

    /// <summary>The exit code (-1 when it timed out or could not start) and the output kept, stdout and stderr lines in the order read.</summary>
    public static async Task<(int Code, string Output)> RunAsync(string binary, IReadOnlyList<string> args, TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            var (code, output) = await RunAsync(binary, args, timeout, new KeptOutput(MaxOutput), cancellationToken).ConfigureAwait(false);
            return code is { } exited ? (exited, output) : (-1, $"timed out after {timeout.TotalSeconds:F0} s: " + output);
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return (-1, ex.Message);
        }
    }

    /// <summary>
    /// The exit code alone, null when it did not finish within <paramref name="timeout"/>; its output is read and dropped,
    /// none kept. Throws <see cref="System.ComponentModel.Win32Exception"/> when it cannot start. (The watchdog's test
    /// command: <see cref="global::Diode.Edge.Watchdog.TestCommandRunner"/>.)
    /// </summary>
    public static async Task<int?> ExitCodeAsync(string binary, IReadOnlyList<string> args, TimeSpan timeout, CancellationToken cancellationToken) =>
        (await RunAsync(binary, args, timeout, new KeptOutput(0), cancellationToken).ConfigureAwait(false)).Code;

    /// <summary>The exit code (null on time-out) and what <paramref name="kept"/> holds at that moment.</summary>
    private static async Task<(int? Code, string Output)> RunAsync(string binary, IReadOnlyList<string> args, TimeSpan timeout, KeptOutput kept, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(binary);
        ArgumentNullException.ThrowIfNull(args);
        var child = ChildProcessGroup.Start(binary, args, kept.Add);
        await using (child.ConfigureAwait(false))
        {
            try
            {
                int code = await child.Exited.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
                await child.DrainAsync().ConfigureAwait(false);
                return (code, kept.ToString());
            }
            catch (TimeoutException)
            {
                return (null, kept.ToString());
            }
        }
    }

    /// <summary>The first lines written, up to a bound; the rest counted.</summary>
    private sealed class KeptOutput(int capacity)
    {
        private readonly Lock _sync = new();
        private readonly StringBuilder _text = new();
        private long _dropped;

        public void Add(string line)
        {
            lock (_sync)
            {
                if (_text.Length + line.Length + 1 <= capacity)
                {
                    _text.Append(line).Append('\n');
                }
                else
                {
                    _dropped += line.Length + 1;
                }
            }
        }

        public override string ToString()
        {
            lock (_sync)
            {
                return _dropped > 0 ? _text + $"[{_dropped} more characters dropped]" : _text.ToString();
            }
        }
    }
}

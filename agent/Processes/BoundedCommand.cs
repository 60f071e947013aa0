using System.Diagnostics;
using System.Text;

namespace Diode.Edge.Agent.Processes;

/// <summary>
/// Runs a short command to its end with a time limit and a bound on what is kept of its output: at most
/// <see cref="MaxOutput"/> bytes of stdout and stderr together (the rest is read and dropped, so a child that never
/// stops writing can neither fill the agent's memory nor block on a full pipe). On time-out its process tree is killed.
/// </summary>
internal static class BoundedCommand
{
    public const int MaxOutput = 64 * 1024;

    /// <summary>The exit code (-1 when it timed out or could not start) and the output kept, stdout then stderr.</summary>
    public static async Task<(int Code, string Output)> RunAsync(string binary, IReadOnlyList<string> args, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(binary);
        ArgumentNullException.ThrowIfNull(args);
        var psi = new ProcessStartInfo(binary) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (string arg in args)
        {
            psi.ArgumentList.Add(arg);
        }

        Process process;
        try
        {
            process = Process.Start(psi)!;
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return (-1, ex.Message);
        }

        using (process)
        {
            process.StandardInput.Close();
            var kept = new BoundedBuffer(MaxOutput);
            var stdout = CopyAsync(process.StandardOutput.BaseStream, kept);
            var stderr = CopyAsync(process.StandardError.BaseStream, kept);
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            limit.CancelAfter(timeout);
            try
            {
                await process.WaitForExitAsync(limit.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
                return (-1, $"timed out after {timeout.TotalSeconds:F0} s: " + kept);
            }

            // A descendant may keep the pipes open: give the readers a moment, not for ever.
            await Task.WhenAny(Task.WhenAll(stdout, stderr), Task.Delay(TimeSpan.FromSeconds(2), CancellationToken.None)).ConfigureAwait(false);
            return (process.ExitCode, kept.ToString());
        }
    }

    private static async Task CopyAsync(Stream stream, BoundedBuffer kept)
    {
        byte[] buffer = new byte[4096];
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer).ConfigureAwait(false)) > 0)
            {
                kept.Append(buffer.AsSpan(0, read));
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
        }
    }

    /// <summary>The first bytes written, up to a bound; the rest counted.</summary>
    private sealed class BoundedBuffer(int capacity)
    {
        private readonly Lock _sync = new();
        private readonly byte[] _bytes = new byte[capacity];
        private int _length;

        public long Dropped { get; private set; }

        public void Append(ReadOnlySpan<byte> data)
        {
            lock (_sync)
            {
                int take = Math.Min(capacity - _length, data.Length);
                data[..take].CopyTo(_bytes.AsSpan(_length));
                _length += take;
                Dropped += data.Length - take;
            }
        }

        public override string ToString()
        {
            lock (_sync)
            {
                string text = Encoding.UTF8.GetString(_bytes, 0, _length);
                return Dropped > 0 ? text + $"\n[{Dropped} more bytes dropped]" : text;
            }
        }
    }
}

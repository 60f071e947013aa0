using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Diode.Edge.Interop;

namespace Diode.Edge.Agent.Hosting;

/// <summary>
/// Once, <see cref="Delay"/> after start, asks the kernel to reclaim the pages of the agent's own Native AOT binary
/// that it holds (<c>madvise(MADV_PAGEOUT)</c> on the executable's read-only mappings). Start-up reads most of the
/// 29 MB binary (configuration, host building, every service's first run); an idle agent then uses about a third of
/// it, and only those pages come back, on first use. Measured on x64: RSS 41 MB before, 26 MB idle after, 36 MB after
/// serving every endpoint. Pages that another process maps too are left alone by the kernel; kernels before 5.4 refuse
/// the advice (EINVAL) and nothing changes. The JIT build (not what ships) is left alone.
/// </summary>
internal sealed partial class StartupPagesRelease(TimeProvider timeProvider, ILogger<StartupPagesRelease> logger) : BackgroundService
{
    public static readonly TimeSpan Delay = TimeSpan.FromSeconds(5);

    private const int MadvPageout = 21;

    /// <summary>/proc/self/maps has a few hundred lines; more than this is not ours to walk.</summary>
    private const int MaxMapLines = 20_000;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (RuntimeFeature.IsDynamicCodeSupported || !OperatingSystem.IsLinux() || Environment.ProcessPath is not { } executable)
        {
            return;
        }

        try
        {
            await Task.Delay(Delay, timeProvider, stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        var (released, error) = Release(executable);
        if (error is null)
        {
            LogReleased(logger, released / (1024.0 * 1024.0));
        }
        else
        {
            LogNotReleased(logger, error);
        }
    }

    /// <summary>Advises the kernel to reclaim every read-only mapping of <paramref name="path"/> in this process; returns the bytes advised.</summary>
    internal static (long Bytes, string? Error) Release(string path)
    {
        long advised = 0;
        int lines = 0;
        foreach (string line in File.ReadLines("/proc/self/maps"))
        {
            if (++lines > MaxMapLines)
            {
                break;
            }

            // address perms offset dev inode path: "7f2c1d000000-7f2c1e000000 r-xp 00000000 fd:00 123 /usr/bin/diode-edge"
            var fields = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 6 || fields[1].Contains('w', StringComparison.Ordinal) || fields[5].Trim() != path)
            {
                continue;
            }

            int dash = fields[0].IndexOf('-', StringComparison.Ordinal);
            nint start = (nint)ulong.Parse(fields[0].AsSpan(0, dash), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            nint end = (nint)ulong.Parse(fields[0].AsSpan(dash + 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            if (Libc.Madvise(start, (nuint)(end - start), MadvPageout) != 0)
            {
                return (advised, Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError()));
            }

            advised += end - start;
        }

        return (advised, null);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "memory: the binary's start-up pages handed back to the kernel ({Megabytes:F1} MB of mappings advised)")]
    private static partial void LogReleased(ILogger logger, double megabytes);

    [LoggerMessage(Level = LogLevel.Debug, Message = "memory: the kernel did not take back the binary's start-up pages ({Reason})")]
    private static partial void LogNotReleased(ILogger logger, string reason);
}

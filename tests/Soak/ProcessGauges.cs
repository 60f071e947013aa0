using System.Globalization;

namespace Diode.Edge.Tests.Soak;

/// <summary>What the kernel says about a process: open file descriptors, threads, resident memory.</summary>
public readonly record struct ProcessGauges(int FileDescriptors, int Threads, long RssBytes)
{
    public static ProcessGauges Read(int pid)
    {
        int fds = Directory.GetFileSystemEntries($"/proc/{pid}/fd").Length;
        int threads = 0;
        long rss = 0;
        foreach (string line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("Threads:", StringComparison.Ordinal))
            {
                threads = int.Parse(line.AsSpan(8).Trim(), CultureInfo.InvariantCulture);
            }
            else if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                rss = long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture) * 1024;
            }
        }

        return new ProcessGauges(fds, threads, rss);
    }
}

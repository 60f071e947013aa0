using System.Globalization;
using System.Text;

namespace Diode.Edge.Agent.Processes;

/// <summary>
/// Every process a child started, found by the tag it inherited in its environment (<c>DIODE_EDGE_CHILD=&lt;token&gt;</c>),
/// wherever it went: another process group, another session, re-parented to the agent. <see cref="KillAllAsync"/>
/// kills them all and reaps those that became the agent's (it is a subreaper, <see cref="ChildSubreaper"/>).
/// /proc is read with bounded reads: at most 64 KB of each environment.
/// </summary>
internal sealed class TaggedDescendants
{
    public const string Variable = "DIODE_EDGE_CHILD";
    private const int MaxEnvironment = 64 * 1024;

    private readonly byte[] _tag;
    private readonly int _self = Environment.ProcessId;

    public TaggedDescendants()
    {
        Token = Guid.NewGuid().ToString("N");
        _tag = Encoding.ASCII.GetBytes($"{Variable}={Token}\0");
    }

    public string Token { get; }

    /// <summary>SIGKILLs every live process carrying the tag (a few rounds, for those forked meanwhile) and reaps the ones re-parented to the agent; returns how many were killed.</summary>
    public async Task<int> KillAllAsync(int exceptPid)
    {
        var killed = new HashSet<int>();
        for (int round = 0; round < 5; round++)
        {
            int found = 0;
            foreach (int pid in Find())
            {
                if (pid != exceptPid && ProcessSignals.SignalProcess(pid, ProcessSignals.SigKill))
                {
                    killed.Add(pid);
                    found++;
                }
            }

            if (found == 0)
            {
                break;
            }

            await Task.Delay(20).ConfigureAwait(false);
        }

        // The killed ones that are now the agent's children are zombies until reaped.
        for (int attempt = 0; attempt < 50 && killed.Count > 0; attempt++)
        {
            killed.RemoveWhere(pid => ChildSubreaper.TryReap(pid) || ParentOf(pid) != _self);
            if (killed.Count > 0)
            {
                await Task.Delay(20).ConfigureAwait(false);
            }
        }

        return killed.Count;
    }

    /// <summary>The live processes carrying the tag.</summary>
    public List<int> Find()
    {
        var found = new List<int>();
        byte[] buffer = new byte[MaxEnvironment];
        foreach (string dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir.AsSpan()), NumberStyles.None, CultureInfo.InvariantCulture, out int pid) || pid == _self)
            {
                continue;
            }

            try
            {
                using var environ = new FileStream(Path.Combine(dir, "environ"), FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1);
                int length = 0, read;
                while (length < buffer.Length && (read = environ.Read(buffer, length, buffer.Length - length)) > 0)
                {
                    length += read;
                }

                var span = buffer.AsSpan(0, length);
                if (span.StartsWith(_tag) || span.IndexOf(_tag.AsSpan()) is var at && at > 0 && span[at - 1] == 0)
                {
                    found.Add(pid);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Gone meanwhile, or not ours to read.
            }
        }

        return found;
    }

    private static int ParentOf(int pid)
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat.AsSpan(stat.LastIndexOf(')') + 2);
            fields = fields[(fields.IndexOf(' ') + 1)..];
            return int.Parse(fields[..fields.IndexOf(' ')], CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or ArgumentOutOfRangeException)
        {
            return -1;
        }
    }
}

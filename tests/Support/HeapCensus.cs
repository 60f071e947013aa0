using System.Diagnostics.Tracing;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Parsers;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;

namespace Diode.Edge.Tests.Support;

/// <summary>
/// The live objects of another .NET process, counted by type after a full blocking GC that the census itself induces:
/// the same EventPipe heap dump as <c>dotnet-gcdump</c> (the runtime's GCHeapSnapshot keywords make it collect, then
/// walk the heap and describe every surviving object and its type), read with TraceEvent from the test.
/// </summary>
public sealed class HeapCensus
{
    private HeapCensus(IReadOnlyDictionary<string, (long Count, long Bytes)> byType)
    {
        ByType = byType;
        Objects = byType.Values.Sum(v => v.Count);
        Bytes = byType.Values.Sum(v => v.Bytes);
    }

    /// <summary>Count and bytes of the live objects of each type (generic instantiations and arrays by their full names).</summary>
    public IReadOnlyDictionary<string, (long Count, long Bytes)> ByType { get; }

    public long Objects { get; }

    /// <summary>The live heap: the sum of every surviving object's size.</summary>
    public long Bytes { get; }

    public long CountOf(string type) => ByType.TryGetValue(type, out var v) ? v.Count : 0;

    /// <summary>Induces a full GC in <paramref name="pid"/> and counts what survived it.</summary>
    public static async Task<HeapCensus> TakeAsync(int pid, TimeSpan timeout)
    {
        var client = new DiagnosticsClient(pid);
        var providers = new[]
        {
            new EventPipeProvider("Microsoft-Windows-DotNETRuntime", EventLevel.Informational, (long)ClrTraceEventParser.Keywords.GCHeapSnapshot),
        };
        using var session = client.StartEventPipeSession(providers, requestRundown: false, circularBufferMB: 256);
        var names = new Dictionary<ulong, string>();
        var counts = new Dictionary<ulong, (long Count, long Bytes)>();
        int inducedGc = -1;
        bool done = false;
        var reader = Task.Factory.StartNew(() =>
        {
            using var source = new EventPipeEventSource(session.EventStream);
            source.Clr.GCStart += e =>
            {
                if (inducedGc < 0 && e.Reason == GCReason.Induced)
                {
                    inducedGc = e.Count;
                }
            };
            source.Clr.TypeBulkType += e =>
            {
                for (int i = 0; i < e.Count; i++)
                {
                    var type = e.Values(i);
                    names[type.TypeID] = type.TypeName;
                }
            };
            source.Clr.GCBulkNode += e =>
            {
                if (inducedGc < 0 || done)
                {
                    return;
                }

                for (int i = 0; i < e.Count; i++)
                {
                    var node = e.Values(i);
                    counts.TryGetValue(node.TypeID, out var seen);
                    counts[node.TypeID] = (seen.Count + 1, seen.Bytes + (long)node.Size);
                }
            };
            source.Clr.GCStop += e =>
            {
                if (inducedGc >= 0 && e.Count == inducedGc && !done)
                {
                    done = true;
                    session.Stop();
                }
            };
            source.Process();
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

        try
        {
            await reader.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            session.Stop();
            throw new TimeoutException($"no heap dump from pid {pid} within {timeout}");
        }

        Assert.True(done, $"the heap dump of pid {pid} ended before its GC did");
        var byType = new Dictionary<string, (long Count, long Bytes)>();
        foreach (var (id, (count, bytes)) in counts)
        {
            string name = names.TryGetValue(id, out var n) && n.Length > 0 ? n : $"type 0x{id:x}";
            byType.TryGetValue(name, out var seen);
            byType[name] = (seen.Count + count, seen.Bytes + bytes);
        }

        return new HeapCensus(byType);
    }
}

using System.Diagnostics.Tracing;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Parsers;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;

namespace Diode.Edge.Tests.Support;

/// <summary>
/// The live objects of another .NET process, counted by type after a full blocking GC that the census itself induces:
/// the same EventPipe heap dump as <c>dotnet-gcdump</c> (the runtime's GCHeapSnapshot keywords make it collect, then
/// walk the heap and describe every surviving object, its type, its references and the roots), read with TraceEvent
/// from the test. Objects that only a thread's thread statics keep alive (<see cref="HeapGraph"/>) are counted apart,
/// in <see cref="ThreadOwnedByType"/>: they come and go with the thread pool's workers, not with the process's own state.
/// </summary>
public sealed class HeapCensus
{
    private HeapCensus(HeapGraph graph, IReadOnlyDictionary<ulong, string> typeNames)
    {
        string NameOf(ulong typeId) => typeNames.TryGetValue(typeId, out var n) && n.Length > 0 ? n : $"type 0x{typeId:x}";
        var byType = new Dictionary<string, (long Count, long Bytes)>(StringComparer.Ordinal);
        var threadOwnedByType = new Dictionary<string, (long Count, long Bytes)>(StringComparer.Ordinal);
        var threadOwned = graph.ThreadOwned();
        for (int i = 0; i < graph.NodeCount; i++)
        {
            var counts = threadOwned[i] ? threadOwnedByType : byType;
            string name = NameOf(graph.TypeOf(i));
            counts.TryGetValue(name, out var seen);
            counts[name] = (seen.Count + 1, seen.Bytes + graph.SizeOf(i));
        }

        ByType = byType;
        ThreadOwnedByType = threadOwnedByType;
        ThreadStatics = graph.ThreadStaticsArrays().Count;
        ThreadOwnedObjects = threadOwnedByType.Values.Sum(v => v.Count);
        Objects = byType.Values.Sum(v => v.Count) + ThreadOwnedObjects;
        Bytes = byType.Values.Sum(v => v.Bytes) + threadOwnedByType.Values.Sum(v => v.Bytes);
    }

    private HeapCensus(IReadOnlyDictionary<string, (long Count, long Bytes)> byType)
    {
        ByType = byType;
        ThreadOwnedByType = new Dictionary<string, (long Count, long Bytes)>(StringComparer.Ordinal);
        Objects = byType.Values.Sum(v => v.Count);
        Bytes = byType.Values.Sum(v => v.Bytes);
    }

    /// <summary>A census of the given counts, for judging rules on known series.</summary>
    public static HeapCensus Of(IReadOnlyDictionary<string, (long Count, long Bytes)> byType) => new(byType);

    /// <summary>
    /// Count and bytes of the live objects of each type (generic instantiations and arrays by their full names), except
    /// those only the threads' thread statics keep alive.
    /// </summary>
    public IReadOnlyDictionary<string, (long Count, long Bytes)> ByType { get; }

    /// <summary>
    /// Count and bytes, by type, of the objects reachable only through the threads' thread-statics storage: each thread's
    /// top-level array, its one-element holders and what they hold (the thread pool's per-thread state, ArrayPool's
    /// per-thread buckets, caches of the async builders, and so on), which live and die with the thread.
    /// </summary>
    public IReadOnlyDictionary<string, (long Count, long Bytes)> ThreadOwnedByType { get; }

    /// <summary>How many threads' thread-statics arrays the heap held: the threads that have run managed code with thread statics.</summary>
    public int ThreadStatics { get; }

    public long ThreadOwnedObjects { get; }

    /// <summary>Every live object, thread-owned or not.</summary>
    public long Objects { get; }

    /// <summary>The live heap: the sum of every surviving object's size, thread-owned or not.</summary>
    public long Bytes { get; }

    public long CountOf(string type) => ByType.TryGetValue(type, out var v) ? v.Count : 0;

    public long ThreadOwnedCountOf(string type) => ThreadOwnedByType.TryGetValue(type, out var v) ? v.Count : 0;

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
        var graph = new HeapGraph();
        int inducedGc = -1;
        bool done = false;
        bool InDump() => inducedGc >= 0 && !done;
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
                if (InDump())
                {
                    for (int i = 0; i < e.Count; i++)
                    {
                        var node = e.Values(i);
                        graph.AddNode(node.Address, node.TypeID, (long)node.Size, node.EdgeCount);
                    }
                }
            };
            source.Clr.GCBulkEdge += e =>
            {
                if (InDump())
                {
                    for (int i = 0; i < e.Count; i++)
                    {
                        graph.AddEdge(e.Values(i).Target);
                    }
                }
            };
            source.Clr.GCBulkRootEdge += e =>
            {
                if (InDump())
                {
                    for (int i = 0; i < e.Count; i++)
                    {
                        graph.AddRoot(e.Values(i).RootedNodeAddress);
                    }
                }
            };
            source.Clr.GCBulkRootStaticVar += e =>
            {
                if (InDump())
                {
                    for (int i = 0; i < e.Count; i++)
                    {
                        graph.AddRoot(e.Values(i).ObjectID);
                    }
                }
            };
            source.Clr.GCBulkRootConditionalWeakTableElementEdge += e =>
            {
                if (InDump())
                {
                    for (int i = 0; i < e.Count; i++)
                    {
                        var element = e.Values(i);
                        graph.AddDependentEdge(element.GCKeyNodeID, element.GCValueNodeID);
                    }
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
            throw new TimeoutException($"no heap dump from pid {pid} within {timeout} (induced GC: {inducedGc}, objects described: {graph.NodeCount})");
        }

        Assert.True(done, $"the heap dump of pid {pid} ended before its GC did");
        graph.Link(names);
        return new HeapCensus(graph, names);
    }
}

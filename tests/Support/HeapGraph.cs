namespace Diode.Edge.Tests.Support;

/// <summary>
/// The object graph of one heap dump, as the runtime describes it over EventPipe: the nodes (address, type, size and how
/// many references each holds) in order, the references of all nodes concatenated in the same order, the roots, and the
/// dependent handles (a ConditionalWeakTable's key keeps its value). Answers one question: which objects only the threads'
/// thread statics keep alive.
/// </summary>
/// <remarks>
/// Since .NET 9 a thread's GC thread statics live in one managed <c>Object[]</c> per thread, its slots one-element
/// <c>Object[]</c> holders, one per thread static that thread touched. The heap dump reports that array as a root that no
/// object points to (as a stack root, most with root id 0 but not all, so the rule below looks at its shape, not its id).
/// </remarks>
public sealed class HeapGraph
{
    private const string ObjectArray = "System.Object[]";

    private readonly List<ulong> _addresses = [];
    private readonly List<ulong> _types = [];
    private readonly List<long> _sizes = [];
    private readonly List<long> _edgeCounts = [];
    private readonly List<ulong> _edgeTargets = [];
    private readonly List<ulong> _roots = [];
    private readonly List<(ulong Key, ulong Value)> _dependents = [];

    private int[] _edgeStart = [];
    private int[] _edges = [];
    private bool[] _rooted = [];
    private bool[] _referenced = [];
    private bool[] _isObjectArray = [];

    public int NodeCount => _addresses.Count;

    public ulong TypeOf(int node) => _types[node];

    public long SizeOf(int node) => _sizes[node];

    public void AddNode(ulong address, ulong typeId, long size, long edgeCount)
    {
        _addresses.Add(address);
        _types.Add(typeId);
        _sizes.Add(size);
        _edgeCounts.Add(edgeCount);
    }

    /// <summary>The next reference, in order: the first ones belong to the first node, as many as its edge count, and so on.</summary>
    public void AddEdge(ulong target) => _edgeTargets.Add(target);

    public void AddRoot(ulong address) => _roots.Add(address);

    public void AddDependentEdge(ulong key, ulong value) => _dependents.Add((key, value));

    /// <summary>Resolves the references to nodes once the dump is complete.</summary>
    public void Link(IReadOnlyDictionary<ulong, string> typeNames)
    {
        int n = NodeCount;
        var index = new Dictionary<ulong, int>(n);
        for (int i = 0; i < n; i++)
        {
            index.TryAdd(_addresses[i], i);
        }

        var sources = new List<int>(_edgeTargets.Count + _dependents.Count);
        var targets = new List<int>(_edgeTargets.Count + _dependents.Count);
        int next = 0;
        for (int i = 0; i < n; i++)
        {
            for (long e = 0; e < _edgeCounts[i] && next < _edgeTargets.Count; e++, next++)
            {
                if (index.TryGetValue(_edgeTargets[next], out int target))
                {
                    sources.Add(i);
                    targets.Add(target);
                }
            }
        }

        foreach (var (key, value) in _dependents)
        {
            if (index.TryGetValue(key, out int from) && index.TryGetValue(value, out int to))
            {
                sources.Add(from);
                targets.Add(to);
            }
        }

        _edgeStart = new int[n + 1];
        foreach (int s in sources)
        {
            _edgeStart[s + 1]++;
        }

        for (int i = 0; i < n; i++)
        {
            _edgeStart[i + 1] += _edgeStart[i];
        }

        _edges = new int[sources.Count];
        _referenced = new bool[n];
        var fill = (int[])_edgeStart.Clone();
        for (int e = 0; e < sources.Count; e++)
        {
            _edges[fill[sources[e]]++] = targets[e];
            if (sources[e] != targets[e])
            {
                _referenced[targets[e]] = true;
            }
        }

        _rooted = new bool[n];
        foreach (ulong root in _roots)
        {
            if (index.TryGetValue(root, out int node))
            {
                _rooted[node] = true;
            }
        }

        _isObjectArray = new bool[n];
        for (int i = 0; i < n; i++)
        {
            _isObjectArray[i] = typeNames.TryGetValue(_types[i], out var name) && name == ObjectArray;
        }
    }

    /// <summary>
    /// The threads' thread-statics arrays: rooted <c>Object[]</c>s that no object points to, holding at least one
    /// reference and only <c>Object[]</c> holders of at most one reference each.
    /// </summary>
    public IReadOnlyList<int> ThreadStaticsArrays()
    {
        var arrays = new List<int>();
        for (int i = 0; i < NodeCount; i++)
        {
            if (_rooted[i] && !_referenced[i] && _isObjectArray[i] && _edgeStart[i + 1] > _edgeStart[i] && Edges(i).All(IsHolder))
            {
                arrays.Add(i);
            }
        }

        return arrays;
    }

    /// <summary>For each node, whether the thread-statics arrays reach it and no other root does.</summary>
    public bool[] ThreadOwned()
    {
        var statics = ThreadStaticsArrays();
        var isStatics = new bool[NodeCount];
        foreach (int s in statics)
        {
            isStatics[s] = true;
        }

        var shared = new bool[NodeCount];
        Mark(shared, Enumerable.Range(0, NodeCount).Where(i => _rooted[i] && !isStatics[i]), _ => true);
        var owned = new bool[NodeCount];
        Mark(owned, statics, i => !shared[i]);
        return owned;
    }

    private ArraySegment<int> Edges(int node) => new ArraySegment<int>(_edges, _edgeStart[node], _edgeStart[node + 1] - _edgeStart[node]);

    private bool IsHolder(int node) => _isObjectArray[node] && _edgeStart[node + 1] - _edgeStart[node] <= 1;

    /// <summary>Marks every node reachable from <paramref name="from"/> through nodes that <paramref name="may"/> enter.</summary>
    private void Mark(bool[] marked, IEnumerable<int> from, Func<int, bool> may)
    {
        var pending = new Stack<int>();
        foreach (int start in from)
        {
            if (!marked[start] && may(start))
            {
                marked[start] = true;
                pending.Push(start);
            }
        }

        while (pending.TryPop(out int node))
        {
            for (int e = _edgeStart[node]; e < _edgeStart[node + 1]; e++)
            {
                int target = _edges[e];
                if (!marked[target] && may(target))
                {
                    marked[target] = true;
                    pending.Push(target);
                }
            }
        }
    }
}

using Microsoft.Extensions.Configuration;

namespace Diode.Edge.Agent.Configuration.Indexed;

/// <summary>Values given in memory (the normalised durations and sizes), with its child keys indexed once (<see cref="ChildKeyIndex"/>).</summary>
internal sealed class IndexedMemoryProvider : ConfigurationProvider
{
    private ChildKeyIndex? _index;

    public IndexedMemoryProvider(IEnumerable<KeyValuePair<string, string?>> values)
    {
        foreach (var (key, value) in values)
        {
            Data[key] = value;
        }
    }

    public override IEnumerable<string> GetChildKeys(IEnumerable<string> earlierKeys, string? parentPath) =>
        (_index ??= ChildKeyIndex.Build(Data.Keys)).GetChildKeys(earlierKeys, parentPath);
}

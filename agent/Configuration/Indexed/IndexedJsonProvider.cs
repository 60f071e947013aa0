using Microsoft.Extensions.Configuration.Json;

namespace Diode.Edge.Agent.Configuration.Indexed;

/// <summary>The JSON provider, with its child keys indexed once (<see cref="ChildKeyIndex"/>).</summary>
internal sealed class IndexedJsonProvider(JsonStreamConfigurationSource source) : JsonStreamConfigurationProvider(source)
{
    private ChildKeyIndex? _index;

    public override IEnumerable<string> GetChildKeys(IEnumerable<string> earlierKeys, string? parentPath) =>
        (_index ??= ChildKeyIndex.Build(Data.Keys)).GetChildKeys(earlierKeys, parentPath);
}

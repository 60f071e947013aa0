using Microsoft.Extensions.Configuration.EnvironmentVariables;

namespace Diode.Edge.Agent.Configuration.Indexed;

/// <summary>The environment variables provider, with its child keys indexed once (<see cref="ChildKeyIndex"/>).</summary>
internal sealed class IndexedEnvironmentProvider(string prefix) : EnvironmentVariablesConfigurationProvider(prefix)
{
    private ChildKeyIndex? _index;

    public override IEnumerable<string> GetChildKeys(IEnumerable<string> earlierKeys, string? parentPath) =>
        (_index ??= ChildKeyIndex.Build(Data.Keys)).GetChildKeys(earlierKeys, parentPath);
}

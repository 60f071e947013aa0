using Microsoft.Extensions.Configuration.CommandLine;

namespace Diode.Edge.Agent.Configuration.Indexed;

/// <summary>The command-line provider (<c>--set</c>), with its child keys indexed once (<see cref="ChildKeyIndex"/>).</summary>
internal sealed class IndexedCommandLineProvider(IEnumerable<string> args) : CommandLineConfigurationProvider(args)
{
    private ChildKeyIndex? _index;

    public override IEnumerable<string> GetChildKeys(IEnumerable<string> earlierKeys, string? parentPath) =>
        (_index ??= ChildKeyIndex.Build(Data.Keys)).GetChildKeys(earlierKeys, parentPath);
}

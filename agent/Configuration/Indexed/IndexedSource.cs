using Microsoft.Extensions.Configuration;

namespace Diode.Edge.Agent.Configuration.Indexed;

/// <summary>A configuration source whose provider is made by a function (for the indexed providers).</summary>
internal sealed class IndexedSource(Func<IConfigurationProvider> build) : IConfigurationSource
{
    public IConfigurationProvider Build(IConfigurationBuilder builder) => build();
}

namespace Diode.Edge.Tests.Packaging;

/// <summary>The packaging tests share one build of both packages (two self-contained publishes).</summary>
[CollectionDefinition(Name)]
public sealed class DebPackagesCollection : ICollectionFixture<DebPackages>
{
    public const string Name = "deb-packages";
}

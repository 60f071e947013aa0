namespace Diode.Edge.Tests.Vm;

/// <summary>
/// The QEMU suite: each test boots a real kernel under software emulation, which takes a core; xunit runs the
/// collection alone, after the parallel ones, so the guests' timing is theirs and the rest of the suite is not slowed.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class VmCollection : ICollectionFixture<VmImages>
{
    public const string Name = "qemu";
}

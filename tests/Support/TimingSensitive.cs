namespace Diode.Edge.Tests.Support;

/// <summary>
/// Tests that measure latency, rates or memory: xunit runs this collection alone, after the parallel ones, so the
/// figures are the code's and not the rest of the suite's load on a 2-core machine.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TimingSensitive
{
    public const string Name = "timing-sensitive";
}

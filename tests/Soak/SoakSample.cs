using Diode.Edge.Tests.Support;

namespace Diode.Edge.Tests.Soak;

/// <summary>One measurement of a soaked agent at a quiet moment: its heap census and the kernel's gauges.</summary>
public sealed record SoakSample(TimeSpan Elapsed, HeapCensus Census, ProcessGauges Gauges);

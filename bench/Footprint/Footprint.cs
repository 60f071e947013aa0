namespace Diode.Edge.Bench.Footprint;

/// <summary>One agent build's figures in <see cref="FootprintBenchmark"/>.</summary>
internal sealed record Footprint(double IdleRssMb, double ConsumersRssMb, double FirstFrameMs, double RestartFirstFrameMs, double ConfigCheckMs, double DiskMb);

using System.ComponentModel;

namespace Diode.Edge.Sensors.Reporting;

/// <summary><c>"average": { "samples": 5 }</c> (moving, over the last N samples) or <c>{ "alpha": 0.2 }</c> (exponential: each sample weighs alpha).</summary>
public sealed class AverageOptions
{
    [Description("A moving average over the last N samples, 1 to 1000.")]
    public int? Samples { get; set; }

    [Description("An exponential average: the weight of each new sample, above 0 and at most 1.")]
    public double? Alpha { get; set; }
}

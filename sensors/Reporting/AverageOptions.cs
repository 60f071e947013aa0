namespace Diode.Edge.Sensors.Reporting;

/// <summary><c>"average": { "samples": 5 }</c> (moving, over the last N samples) or <c>{ "alpha": 0.2 }</c> (exponential: each sample weighs alpha).</summary>
public sealed class AverageOptions
{
    public int? Samples { get; set; }

    public double? Alpha { get; set; }
}

using System.ComponentModel;

namespace Diode.Edge.Sensors.Reporting;

/// <summary>A quantity's physical limits (<c>"range": { "min": 0, "max": 100 }</c>); either may be left out.</summary>
public sealed class RangeOptions
{
    [Description("Lowest plausible value; a sample below it is dropped.")]
    public double? Min { get; set; }

    [Description("Highest plausible value; a sample above it is dropped.")]
    public double? Max { get; set; }
}

namespace Diode.Edge.Sensors.Reporting;

/// <summary>A quantity's physical limits (<c>"range": { "min": 0, "max": 100 }</c>); either may be left out.</summary>
public sealed class RangeOptions
{
    public double? Min { get; set; }

    public double? Max { get; set; }
}

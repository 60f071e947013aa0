using System.ComponentModel;

namespace Diode.Edge.Sensors.Reporting;

/// <summary><c>sensors[].report</c>: the stream's reporting rules and, under <c>quantities</c>, rules of single quantities.</summary>
public sealed class ReportOptions : ReportRules
{
    /// <summary>Rules of one quantity (by its name, e.g. <c>relative_humidity</c>); each key set here overrides the stream's.</summary>
    [Description("Rules of single quantities, by quantity name (e.g. relative_humidity); each key set there overrides the stream's.")]
    public Dictionary<string, ReportRules> Quantities { get; set; } = new(StringComparer.Ordinal);
}

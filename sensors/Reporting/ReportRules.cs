using System.ComponentModel;

namespace Diode.Edge.Sensors.Reporting;

/// <summary>
/// The reporting rules of a stream (<c>sensors[].report</c>) or of one of its quantities
/// (<c>sensors[].report.quantities.&lt;name&gt;</c>, whose keys override the stream's). Applied to each sample after the
/// calibration offsets and before the frame is signed, in this order: <see cref="Range"/>, <see cref="Median"/>,
/// <see cref="Average"/>, then the decision to publish (<see cref="Deadband"/>, <see cref="Heartbeat"/>,
/// <see cref="MinInterval"/>). Nothing set: every sample is published, as before.
/// </summary>
public class ReportRules
{
    /// <summary>Never publish more often than this (a throttle): samples closer than this to the last frame are not published.</summary>
    [Description("Never publish more often than this (a throttle), up to 1d.")]
    public TimeSpan? MinInterval { get; set; }

    /// <summary>Publish at least this often, even without a change (checked when a sample comes: the sampling interval stays the sensor's).</summary>
    [Description("Publish at least this often even without a change, up to 7d (checked when a sample comes).")]
    public TimeSpan? Heartbeat { get; set; }

    /// <summary>Publish only on a change at least this large since the last published value: <c>0.2</c> (in the quantity's unit) or <c>"5%"</c> (of the last published value).</summary>
    [Description("Publish only on a change at least this large since the last published value: 0.2 (in the quantity's unit) or \"5%\" (of that value).")]
    public string? Deadband { get; set; }

    /// <summary>Publish the median of the last N samples (spikes of fewer than N/2 samples vanish).</summary>
    [Description("Publish the median of the last N samples, 1 to 99 (spikes shorter than N/2 samples vanish).")]
    public int? Median { get; set; }

    /// <summary>Publish an average: moving over the last <c>samples</c>, or exponential with <c>alpha</c>.</summary>
    [Description("Publish an average: moving over the last samples, or exponential with alpha.")]
    public AverageOptions? Average { get; set; }

    /// <summary>Physical limits: a sample with a value outside them is dropped (never published) and counted.</summary>
    [Description("Physical limits: a sample outside them is dropped (never published) and counted.")]
    public RangeOptions? Range { get; set; }
}

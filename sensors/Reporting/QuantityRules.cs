namespace Diode.Edge.Sensors.Reporting;

/// <summary>The rules in force for one quantity: its own keys, else the stream's (parsed once, at start).</summary>
public sealed class QuantityRules
{
    private QuantityRules()
    {
    }

    public TimeSpan? MinInterval { get; private init; }

    public TimeSpan? Heartbeat { get; private init; }

    public Deadband? Deadband { get; private init; }

    public int Median { get; private init; }

    public int AverageSamples { get; private init; }

    public double? AverageAlpha { get; private init; }

    public double Min { get; private init; } = double.NegativeInfinity;

    public double Max { get; private init; } = double.PositiveInfinity;

    /// <summary>True when every sample is published as it is (no rule at all).</summary>
    public bool None => MinInterval is null && Heartbeat is null && Deadband is null && Median <= 1 && AverageSamples <= 1 && AverageAlpha is null
        && double.IsNegativeInfinity(Min) && double.IsPositiveInfinity(Max);

    /// <summary>
    /// The rules of <paramref name="quantity"/> under <paramref name="report"/> (null: none). Values the validator refuses
    /// (a deadband that does not parse) are ignored here; the agent does not start with them.
    /// </summary>
    public static QuantityRules For(ReportOptions? report, string quantity)
    {
        ArgumentNullException.ThrowIfNull(quantity);
        if (report is null)
        {
            return new QuantityRules();
        }

        var own = report.Quantities.TryGetValue(quantity, out var rules) ? rules : null;
        string? deadband = own?.Deadband ?? report.Deadband;
        var average = own?.Average ?? report.Average;
        var range = own?.Range ?? report.Range;
        return new QuantityRules
        {
            MinInterval = own?.MinInterval ?? report.MinInterval,
            Heartbeat = own?.Heartbeat ?? report.Heartbeat,
            Deadband = Reporting.Deadband.TryParse(deadband, out var parsed) ? parsed : null,
            Median = own?.Median ?? report.Median ?? 0,
            AverageSamples = average?.Alpha is null ? average?.Samples ?? 0 : 0,
            AverageAlpha = average?.Alpha,
            Min = range?.Min ?? double.NegativeInfinity,
            Max = range?.Max ?? double.PositiveInfinity,
        };
    }
}

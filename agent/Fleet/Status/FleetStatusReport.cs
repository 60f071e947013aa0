namespace Diode.Edge.Agent.Fleet.Status;

/// <summary>One poll of the fleet: when, how long it took, how many rows of each state, and the rows in the order listed.</summary>
internal sealed record FleetStatusReport(string At, double ElapsedMs, int Devices, int Ok, int Incomplete, int Unverified, int Unreachable, IReadOnlyList<FleetDeviceRow> Rows)
{
    public static FleetStatusReport Of(IReadOnlyList<FleetDeviceRow> rows, DateTimeOffset at, TimeSpan elapsed)
    {
        ArgumentNullException.ThrowIfNull(rows);
        return new FleetStatusReport(
            Rfc3339.ToText(at),
            Math.Round(elapsed.TotalMilliseconds, 1),
            rows.Count,
            rows.Count(r => r.State == FleetRowStates.Ok),
            rows.Count(r => r.State == FleetRowStates.Incomplete),
            rows.Count(r => r.State == FleetRowStates.Unverified),
            rows.Count(r => r.State == FleetRowStates.Unreachable),
            rows);
    }
}

using System.Globalization;
using System.Text;

namespace Diode.Edge.Agent.Fleet.Status;

/// <summary><c>fleet status</c> for people: one aligned row per device, the problems under it, and a summary line.</summary>
internal static class FleetStatusTable
{
    private static readonly string[] Header = ["DEVICE", "ADDRESS (VERIFIED)", "ROW", "VERSION", "DEPLOYMENT", "HEALTH", "LAST FRAME", "WATCHDOG", "DIODE"];

    public static string Format(FleetStatusReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var lines = new List<string[]> { Header };
        lines.AddRange(report.Rows.Select(Cells));
        int[] widths = [.. Enumerable.Range(0, Header.Length).Select(c => lines.Max(l => l[c].Length))];
        var text = new StringBuilder();
        for (int i = 0; i < lines.Count; i++)
        {
            text.AppendJoin("  ", lines[i].Select((cell, c) => c == lines[i].Length - 1 ? cell : cell.PadRight(widths[c]))).Append('\n');
            if (i > 0)
            {
                foreach (string problem in report.Rows[i - 1].Problems)
                {
                    text.Append("    ").Append(problem).Append('\n');
                }
            }
        }

        text.Append(CultureInfo.InvariantCulture, $"{report.Ok} of {report.Devices} ok");
        foreach (var (count, name) in new[] { (report.Incomplete, FleetRowStates.Incomplete), (report.Unverified, FleetRowStates.Unverified), (report.Unreachable, FleetRowStates.Unreachable) })
        {
            if (count > 0)
            {
                text.Append(CultureInfo.InvariantCulture, $", {count} {name}");
            }
        }

        text.Append(CultureInfo.InvariantCulture, $" ({report.ElapsedMs / 1000:F1} s, {report.At})\n");
        return text.ToString();
    }

    private static string[] Cells(FleetDeviceRow row) =>
    [
        row.Given,
        row.Address ?? "-",
        row.State,
        row.Version ?? "-",
        row.Deployment is { } d ? Deployment(d) : "-",
        row.Health ?? "-",
        row.LastFrameAgeSeconds is { } age ? Age(age) : "-",
        row.WatchdogReset switch { true => "reset it", false => "no reset", null => "-" },
        row.Diode ?? "-",
    ];

    /// <summary>"seq 3 applied"; "seq 4 rolledBack, runs 3" when the last one taken is not the one that runs.</summary>
    private static string Deployment(FleetDeploymentView d) => d.Seq == d.AppliedSeq
        ? string.Create(CultureInfo.InvariantCulture, $"seq {d.Seq} {d.State}")
        : string.Create(CultureInfo.InvariantCulture, $"seq {d.Seq} {d.State}, runs {d.AppliedSeq}");

    /// <summary>"0.8s ago", "12m ago", "3h ago", "2d ago".</summary>
    public static string Age(double seconds) => seconds switch
    {
        < 10 => string.Create(CultureInfo.InvariantCulture, $"{seconds:F1}s ago"),
        < 120 => string.Create(CultureInfo.InvariantCulture, $"{seconds:F0}s ago"),
        < 7200 => string.Create(CultureInfo.InvariantCulture, $"{seconds / 60:F0}m ago"),
        < 172800 => string.Create(CultureInfo.InvariantCulture, $"{seconds / 3600:F0}h ago"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{seconds / 86400:F0}d ago"),
    };
}

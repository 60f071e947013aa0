using System.Text.RegularExpressions;

namespace Diode.Edge.Agent.Diode;

/// <summary>Maps the real client's log lines (DESIGN.md §10; labels printed as <c>label : value</c>) to events.</summary>
public static partial class DiodeLogParser
{
    public static DiodeLogEvent Parse(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        if (Label().Match(line) is { Success: true } label)
        {
            string value = label.Groups["value"].Value.Trim();
            return label.Groups["label"].Value.Trim() switch
            {
                "Diode Client version" => new DiodeLogEvent(DiodeLogKind.Version, value),
                "Client address" => new DiodeLogEvent(DiodeLogKind.ClientAddress, value),
                "Fleet address" => new DiodeLogEvent(DiodeLogKind.FleetAddress, value),
                _ => Classify(line),
            };
        }

        return Classify(line);
    }

    private static DiodeLogEvent Classify(string line)
    {
        if (Validated().Match(line) is { Success: true } validated)
        {
            return new DiodeLogEvent(DiodeLogKind.Validated, validated.Groups["block"].Value);
        }

        if (line.Contains("Could not connect to network", StringComparison.Ordinal))
        {
            return new DiodeLogEvent(DiodeLogKind.ConnectFailed);
        }

        if (Connected().Match(line) is { Success: true } connected)
        {
            return new DiodeLogEvent(DiodeLogKind.Connected, connected.Groups["node"].Value);
        }

        if (line.Contains("disconnect", StringComparison.OrdinalIgnoreCase) || line.Contains("connection closed", StringComparison.OrdinalIgnoreCase))
        {
            return new DiodeLogEvent(DiodeLogKind.Disconnected);
        }

        if (PortLine().Match(line) is { Success: true } port)
        {
            return new DiodeLogEvent(DiodeLogKind.PortPublished, port.Groups["rule"].Value.Trim());
        }

        return line.Contains("Couldn't execute command", StringComparison.Ordinal)
            ? new DiodeLogEvent(DiodeLogKind.CommandError, line.Trim())
            : new DiodeLogEvent(DiodeLogKind.Other);
    }

    [GeneratedRegex(@"^(?:\d{4}[/-]\d\d[/-]\d\d[ T][\d:.]+\s+)?(?:\[\w+\]\s+)?(?<label>[A-Za-z ]+?)\s+:\s+(?<value>.*)$")]
    private static partial Regex Label();

    [GeneratedRegex(@"Network is validated, last valid block:?\s+(?<block>\d+)")]
    private static partial Regex Validated();

    [GeneratedRegex(@"[Cc]onnected to (?:host:?\s*)?(?<node>[\w.\-]+:\d+)")]
    private static partial Regex Connected();

    [GeneratedRegex(@"^(?:.*?\]\s+)?\s*Port\s+(?<rule>\d+\s+\d+\s+\w+.*)$")]
    private static partial Regex PortLine();
}

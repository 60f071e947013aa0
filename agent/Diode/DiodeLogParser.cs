using System.Text.RegularExpressions;

namespace Diode.Edge.Agent.Diode;

/// <summary>
/// Maps the real client's log lines to events. Read from diodechain/diode_client: it logs through zap's console encoder
/// (optional time, the level coloured with ANSI escapes, a tab, the message), labels are <c>%-20s : %-42s</c>
/// (config/flag.go PrintLabel), and the port table is <c>Port %12s : %8d  %10s …</c> (cmd/diode/control_shared.go).
/// </summary>
public static partial class DiodeLogParser
{
    public static DiodeLogEvent Parse(string line)
    {
        ArgumentNullException.ThrowIfNull(line);

        // zap's console encoder: an optional time, the level in ANSI colours, a tab, then the message.
        line = Prefix().Replace(AnsiEscape().Replace(line, string.Empty), string.Empty);
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
            return new DiodeLogEvent(DiodeLogKind.PortPublished, port.Groups["name"].Value + " " + Spaces().Replace(port.Groups["rule"].Value.Trim(), " "));
        }

        return line.Contains("Couldn't execute command", StringComparison.Ordinal)
            ? new DiodeLogEvent(DiodeLogKind.CommandError, line.Trim())
            : new DiodeLogEvent(DiodeLogKind.Other);
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();

    [GeneratedRegex(@"\x1b\[[0-9;]*m")]
    private static partial Regex AnsiEscape();

    [GeneratedRegex(@"^(?:\d{4}[/-]\d\d[/-]\d\d[ T][\d:.]+\s+)?(?:\[?(?:DEBUG|INFO|WARN|ERROR|FATAL)\]?\s+)?")]
    private static partial Regex Prefix();

    [GeneratedRegex(@"^(?<label>[A-Za-z][A-Za-z ]*?)\s+:\s+(?<value>.*)$")]
    private static partial Regex Label();

    [GeneratedRegex(@"Network is validated, last valid block:?\s+(?<block>\d+)")]
    private static partial Regex Validated();

    [GeneratedRegex(@"[Cc]onnected to (?:host:?\s*)?(?<node>[\w.\-]+:\d+)")]
    private static partial Regex Connected();

    [GeneratedRegex(@"^Port\s+(?<name>\S+)\s+:\s+(?<rule>\d+\s+\w+.*)$")]
    private static partial Regex PortLine();
}

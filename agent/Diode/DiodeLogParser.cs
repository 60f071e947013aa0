namespace Diode.Edge.Agent.Diode;

/// <summary>
/// Maps one line of the real client's output to an event. The client logs through its zap fork's <c>consoleraw</c>
/// encoder to stderr: <c>LEVEL message k=v …</c>, one space between parts, the level in ANSI colours, no time (the agent
/// refuses <c>-logdatetime</c>); labels are <c>%-20s : %-42s</c>; lines about one relay end with <c>server=host:port</c>.
/// Plain span scans, no regular expression: a line is at most <see cref="DiodeLineReader.MaxLineLength"/> characters and
/// every step is linear in it.
/// </summary>
internal static class DiodeLogParser
{
    private static readonly string[] Levels = ["DEBUG", "INFO", "WARN", "ERROR", "DPANIC", "PANIC", "FATAL"];

    public static DiodeLogEvent Parse(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        string message = StripLevel(StripAnsi(line));
        string? server = ServerField(message);
        if (message.StartsWith("Port was not published", StringComparison.Ordinal))
        {
            return new DiodeLogEvent(DiodeLogKind.PortNotPublished, PortField(message), server);
        }

        if (message.StartsWith("Port ", StringComparison.Ordinal))
        {
            return PortRow(message);
        }

        int colon = message.IndexOf(" : ", StringComparison.Ordinal);
        if (colon > 0 && IsLabel(message.AsSpan(0, colon)))
        {
            string value = message[(colon + 3)..].Trim();
            switch (message[..colon].Trim())
            {
                case "Diode Client version":
                    return new DiodeLogEvent(DiodeLogKind.Version, value);
                case "Client address":
                    return new DiodeLogEvent(DiodeLogKind.ClientAddress, value);
                case "Fleet address":
                    return new DiodeLogEvent(DiodeLogKind.FleetAddress, value);
                case "Chain ID":
                    return new DiodeLogEvent(DiodeLogKind.ChainId, value);
                case "Client name":
                    return new DiodeLogEvent(DiodeLogKind.ClientName, value);
            }
        }

        if (message.StartsWith("Network is validated, last valid block:", StringComparison.Ordinal))
        {
            var rest = message.AsSpan("Network is validated, last valid block:".Length).Trim();
            int space = rest.IndexOf(' ');
            return new DiodeLogEvent(DiodeLogKind.Validated, (space < 0 ? rest : rest[..space]).ToString());
        }

        if (message.Contains("couldn't validate any new blocks", StringComparison.Ordinal))
        {
            return new DiodeLogEvent(DiodeLogKind.StaleBlockQuick, message, server);
        }

        if (message.StartsWith("Reset blockquick window", StringComparison.Ordinal) || message.StartsWith("Global blockquick rebuild succeeded", StringComparison.Ordinal))
        {
            return new DiodeLogEvent(DiodeLogKind.BlockQuickReset, message);
        }

        if (message.StartsWith("Client connection closed", StringComparison.Ordinal) || message.StartsWith("server disconnected", StringComparison.Ordinal))
        {
            return new DiodeLogEvent(DiodeLogKind.RelayLost, message, server);
        }

        if (message.StartsWith("Client connect failed", StringComparison.Ordinal) || message.StartsWith("Client start failed", StringComparison.Ordinal) || message.StartsWith("Retry to connect", StringComparison.Ordinal))
        {
            return new DiodeLogEvent(DiodeLogKind.RelayFailed, message, server);
        }

        if (message.StartsWith("Added relay#", StringComparison.Ordinal))
        {
            int at = message.LastIndexOf(" @ ", StringComparison.Ordinal);
            return new DiodeLogEvent(DiodeLogKind.RelayAdded, message, at < 0 ? server : message[(at + 3)..].Trim());
        }

        if (message.StartsWith("Couldn't execute command", StringComparison.Ordinal))
        {
            return new DiodeLogEvent(DiodeLogKind.CommandError, message);
        }

        if (message.Length > 4 && message[1] == '/' && message[2] == '4' && message[3] == ' ' && message[0] is >= '1' and <= '4'
            && message.AsSpan(4).StartsWith("Stopping", StringComparison.Ordinal))
        {
            return new DiodeLogEvent(DiodeLogKind.StopStep, message[..1]);
        }

        return DiodeLogEvent.None;
    }

    /// <summary>The value of the <c>Diode Client version</c> label in a command's output (<c>diode version</c> prints it first), or null.</summary>
    public static string? FindVersion(string output)
    {
        ArgumentNullException.ThrowIfNull(output);
        return output.Split('\n').Select(Parse).FirstOrDefault(e => e.Kind == DiodeLogKind.Version)?.Value;
    }

    /// <summary>Removes ANSI colour escapes (<c>ESC [ … m</c>).</summary>
    internal static string StripAnsi(string line)
    {
        if (!line.Contains('\u001b', StringComparison.Ordinal))
        {
            return line;
        }

        var result = new System.Text.StringBuilder(line.Length);
        for (int i = 0; i < line.Length; i++)
        {
            if (line[i] == '\u001b' && i + 1 < line.Length && line[i + 1] == '[')
            {
                int end = i + 2;
                while (end < line.Length && (char.IsAsciiDigit(line[end]) || line[end] == ';'))
                {
                    end++;
                }

                if (end < line.Length && line[end] == 'm')
                {
                    i = end;
                    continue;
                }
            }

            result.Append(line[i]);
        }

        return result.ToString();
    }

    private static string StripLevel(string line)
    {
        var span = line.AsSpan().TrimStart();
        foreach (string level in Levels)
        {
            if (span.StartsWith(level, StringComparison.Ordinal) && span.Length > level.Length && span[level.Length] is ' ' or '\t')
            {
                return span[(level.Length + 1)..].TrimStart().ToString();
            }
        }

        return span.ToString();
    }

    private static bool IsLabel(ReadOnlySpan<char> label)
    {
        label = label.Trim();
        if (label.IsEmpty || !char.IsAsciiLetter(label[0]))
        {
            return false;
        }

        foreach (char c in label)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c == ' '))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A port table row, e.g. <c>Port localhost:8080  :       80   protected       any</c>; the header is Other.</summary>
    private static DiodeLogEvent PortRow(string message)
    {
        int colon = message.IndexOf(" : ", StringComparison.Ordinal);
        if (colon < 0)
        {
            return DiodeLogEvent.None;
        }

        string local = message[5..colon].Trim();
        string[] columns = message[(colon + 3)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (columns.Length < 2 || !int.TryParse(columns[0], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out _))
        {
            return DiodeLogEvent.None;
        }

        return new DiodeLogEvent(DiodeLogKind.PortPublished, local + " " + string.Join(' ', columns));
    }

    /// <summary>The value of a trailing <c>server=host:port</c> field.</summary>
    private static string? ServerField(string message)
    {
        int at = message.LastIndexOf("server=", StringComparison.Ordinal);
        if (at < 0 || (at > 0 && message[at - 1] != ' '))
        {
            return null;
        }

        var value = message.AsSpan(at + "server=".Length);
        int space = value.IndexOf(' ');
        value = space < 0 ? value : value[..space];
        return value.IsEmpty ? null : value.ToString();
    }

    /// <summary>The <c>port = 8081</c> field of <c>Port was not published</c>.</summary>
    private static string? PortField(string message)
    {
        int at = message.IndexOf("port = ", StringComparison.Ordinal);
        if (at < 0)
        {
            return null;
        }

        var value = message.AsSpan(at + "port = ".Length);
        int space = value.IndexOf(' ');
        return (space < 0 ? value : value[..space]).ToString();
    }
}

using Diode.Edge.Contract;

namespace Diode.Edge.Agent.Fleet.Status;

/// <summary>
/// The <c>--devices</c> list of <c>fleet status</c> and <c>fleet serve</c>: comma-separated entries and/or
/// <c>@file</c> (one entry per line, <c>#</c> starts a comment). An entry is an agent's URL (<c>http://127.0.0.1:8080</c>),
/// a relay's URL, or a Diode address (<c>0x</c> and 40 hex digits, asked at <c>http://0x….diode.link</c>).
/// </summary>
internal static class FleetDeviceList
{
    /// <summary>The targets in the order given, duplicates dropped; <see cref="FormatException"/> naming the first bad entry.</summary>
    public static IReadOnlyList<FleetDeviceTarget> Parse(string list, Func<string, string> readFile)
    {
        ArgumentNullException.ThrowIfNull(list);
        ArgumentNullException.ThrowIfNull(readFile);
        var targets = new List<FleetDeviceTarget>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (string part in list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (part.StartsWith('@'))
            {
                string path = part[1..];
                string text;
                try
                {
                    text = readFile(path);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    throw new FormatException($"{path}: {ex.Message}", ex);
                }

                int number = 0;
                foreach (string raw in text.Split('\n'))
                {
                    number++;
                    int hash = raw.IndexOf('#', StringComparison.Ordinal);
                    string line = (hash >= 0 ? raw[..hash] : raw).Trim();
                    if (line.Length > 0)
                    {
                        Add(Entry(line, $"{path}:{number}: "));
                    }
                }
            }
            else
            {
                Add(Entry(part, string.Empty));
            }
        }

        if (targets.Count == 0)
        {
            throw new FormatException("no devices listed (e.g. --devices http://127.0.0.1:8080,0x… or --devices @fleet.txt)");
        }

        return targets;

        void Add(FleetDeviceTarget target)
        {
            if (seen.Add(target.Url.AbsoluteUri))
            {
                targets.Add(target);
            }
        }
    }

    private static FleetDeviceTarget Entry(string entry, string where)
    {
        if (EthereumAddress.IsAddress(entry))
        {
            return new FleetDeviceTarget(entry, new Uri($"http://{entry.ToLowerInvariant()}.diode.link/"), entry);
        }

        if (Uri.TryCreate(entry, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps) && url.Query.Length == 0)
        {
            return new FleetDeviceTarget(entry, url, null);
        }

        throw new FormatException($"{where}\"{entry}\" is neither an http(s) URL without a query (http://127.0.0.1:8080) nor a Diode address (0x and 40 hex digits)");
    }
}

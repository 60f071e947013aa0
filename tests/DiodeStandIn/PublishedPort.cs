using System.Globalization;
using System.Text.RegularExpressions;

namespace Diode.Edge.Tests.DiodeStandIn;

/// <summary>
/// config.Port as cmd/diode/publish.go parsePortsEx builds it from "[host:]src[:to[:tcp|tls|udp]]" rules, comma lists
/// of ports and 0x addresses (the allowlist is shared by every port of one rule). The host must contain a dot or be an
/// IPv6 literal (the source's ip pattern), so "localhost:8080" is not a port; a missing host is "localhost".
/// </summary>
internal sealed partial record PublishedPort(string SrcHost, int Src, int To, string Mode, string Protocol, IReadOnlyList<string> Allowlist)
{
    private const string Ip = @"(\[?[0-9A-Fa-f:]*:[0-9A-Fa-f:]+(?:%[a-zA-Z0-9]+)?\]?|[0-9A-Za-z-]+\.[0-9A-Za-z\.-]+[0-9A-Za-z])";

    [GeneratedRegex("^(" + Ip + @":)?(\d+)(:(\d*)(:(tcp|tls|udp))?)?$")]
    private static partial Regex PortPattern();

    [GeneratedRegex("^0x[a-fA-F0-9]{40}$")]
    private static partial Regex AccessPattern();

    /// <summary>net.JoinHostPort(SrcHost, Src), the table's "Port %12s" column.</summary>
    public string DisplayHost => (SrcHost.Contains(':', StringComparison.Ordinal) ? $"[{SrcHost}]" : SrcHost) + ":" + Src.ToString(CultureInfo.InvariantCulture);

    /// <summary>parsePorts for one mode; the error texts are the source's.</summary>
    public static List<PublishedPort> Parse(IEnumerable<string> rules, string mode, out string? error)
    {
        error = null;
        var ports = new List<PublishedPort>();
        foreach (string rule in rules)
        {
            var allowlist = new List<string>();
            var mine = new List<(string Host, int Src, int To, string Protocol)>();
            foreach (string segment in rule.Split(','))
            {
                var m = PortPattern().Match(segment);
                if (m.Success)
                {
                    string host = m.Groups[2].Value.Length == 0 ? "localhost" : m.Groups[2].Value.Trim('[', ']');
                    if (!int.TryParse(m.Groups[3].Value, NumberStyles.None, CultureInfo.InvariantCulture, out int src))
                    {
                        error = $"strconv.Atoi: parsing \"{m.Groups[3].Value}\": value out of range";
                        return [];
                    }

                    if (src is < 1 or > 65535)
                    {
                        error = "src port number should be bigger than 1 and smaller than 65535";
                        return [];
                    }

                    int to = src;
                    if (m.Groups[5].Value.Length > 0)
                    {
                        if (!int.TryParse(m.Groups[5].Value, NumberStyles.None, CultureInfo.InvariantCulture, out to))
                        {
                            error = $"to port number expected but got: {m.Groups[3].Value} in {segment}";
                            return [];
                        }

                        if (to is < 1 or > 65535)
                        {
                            error = "to port number should be bigger than 1 and smaller than 65535";
                            return [];
                        }
                    }

                    string protocol = m.Groups[7].Value is { Length: > 0 } p ? p : "any";
                    mine.Add((host, src, to, protocol));
                }
                else if (AccessPattern().IsMatch(segment))
                {
                    string address = segment.ToLowerInvariant();
                    if (!allowlist.Contains(address, StringComparer.Ordinal))
                    {
                        allowlist.Add(address);
                    }
                }
                else
                {
                    error = $"port format expected (<from_ip>:)<from_port>(:<to_port>:<protocol>) or <address> but got: {segment}";
                    return [];
                }
            }

            ports.AddRange(mine.Select(p => new PublishedPort(p.Host, p.Src, p.To, mode, p.Protocol, allowlist)));
        }

        foreach (var port in ports)
        {
            if (mode == "public" && port.Allowlist.Count > 0)
            {
                error = "public port publishing does not support providing addresses";
                return [];
            }

            if (mode == "private" && port.Allowlist.Count == 0)
            {
                error = "private port publishing requires providing at least one address";
                return [];
            }

            if (mode == "protected" && port.Allowlist.Count > 5)
            {
                error = "fleet address size should not exceeds 5 when publish protected port";
                return [];
            }
        }

        return ports;
    }

    /// <summary>buildPublishedPortMap: public, then protected, then private, keyed by the extern port.</summary>
    public static List<PublishedPort> Build(IReadOnlyList<string> publicRules, IReadOnlyList<string> protectedRules, IReadOnlyList<string> privateRules, out string? error)
    {
        var all = new List<PublishedPort>();
        foreach (var (rules, mode, conflict) in new[]
                 {
                     (publicRules, "public", "public port specified twice: "),
                     (protectedRules, "protected", "port conflict between public and protected port: "),
                     (privateRules, "private", "port conflict with private port: "),
                 })
        {
            var ports = Parse(rules, mode, out error);
            if (error is not null)
            {
                return [];
            }

            foreach (var port in ports)
            {
                if (all.Any(p => p.To == port.To))
                {
                    error = conflict + port.To.ToString(CultureInfo.InvariantCulture);
                    return [];
                }

                all.Add(port);
            }
        }

        error = null;
        return all;
    }
}

using System.Globalization;
using System.Text.RegularExpressions;

namespace Diode.Edge.Tests.Support;

/// <summary>Reads one series' value out of a /metrics page.</summary>
public static class PrometheusText
{
    public static double Value(string text, string series)
    {
        var match = Regex.Match(text, "^" + Regex.Escape(series) + " ([0-9.eE+-]+)$", RegexOptions.Multiline);
        Assert.True(match.Success, $"no series {series} in /metrics");
        return double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }
}

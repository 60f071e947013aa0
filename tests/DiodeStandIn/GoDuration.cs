using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Diode.Edge.Tests.DiodeStandIn;

/// <summary>time.ParseDuration and time.Duration.String, as far as the real client's flags and log lines use them.</summary>
internal static partial class GoDuration
{
    [GeneratedRegex(@"^([0-9]*(?:\.[0-9]*)?)(ns|us|µs|μs|ms|s|m|h)")]
    private static partial Regex Unit();

    public static TimeSpan? Parse(string text)
    {
        string s = text;
        bool negative = false;
        if (s.StartsWith('-') || s.StartsWith('+'))
        {
            negative = s[0] == '-';
            s = s[1..];
        }

        if (s == "0")
        {
            return TimeSpan.Zero;
        }

        if (s.Length == 0)
        {
            return null;
        }

        double ns = 0;
        while (s.Length > 0)
        {
            var m = Unit().Match(s);
            if (!m.Success || m.Groups[1].Value is "" or ".")
            {
                return null;
            }

            double n = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            ns += n * m.Groups[2].Value switch
            {
                "ns" => 1,
                "us" or "µs" or "μs" => 1e3,
                "ms" => 1e6,
                "s" => 1e9,
                "m" => 60e9,
                _ => 3600e9,
            };
            s = s[m.Length..];
        }

        var ticks = (long)(ns / 100);
        return TimeSpan.FromTicks(negative ? -ticks : ticks);
    }

    /// <summary>time.Duration.String for a duration in nanoseconds.</summary>
    public static string Format(long nanoseconds)
    {
        if (nanoseconds == 0)
        {
            return "0s";
        }

        bool negative = nanoseconds < 0;
        ulong u = negative ? (ulong)-nanoseconds : (ulong)nanoseconds;
        var b = new StringBuilder();
        if (u < 1_000_000_000UL)
        {
            (ulong div, string unit, int prec) = u < 1_000UL ? (1UL, "ns", 0) : u < 1_000_000UL ? (1_000UL, "µs", 3) : (1_000_000UL, "ms", 6);
            b.Append(Fraction(u, div, prec)).Append(unit);
        }
        else
        {
            ulong seconds = u / 1_000_000_000UL;
            ulong frac = u % 1_000_000_000UL;
            ulong h = seconds / 3600, m = seconds / 60 % 60, sec = seconds % 60;
            if (h > 0)
            {
                b.Append(h.ToString(CultureInfo.InvariantCulture)).Append('h');
            }

            if (h > 0 || m > 0)
            {
                b.Append(m.ToString(CultureInfo.InvariantCulture)).Append('m');
            }

            b.Append(sec.ToString(CultureInfo.InvariantCulture));
            string f = frac.ToString("D9", CultureInfo.InvariantCulture).TrimEnd('0');
            if (f.Length > 0)
            {
                b.Append('.').Append(f);
            }

            b.Append('s');
        }

        return (negative ? "-" : "") + b;
    }

    public static string Format(TimeSpan d) => Format(d.Ticks * 100);

    private static string Fraction(ulong v, ulong div, int prec)
    {
        string whole = (v / div).ToString(CultureInfo.InvariantCulture);
        if (prec == 0)
        {
            return whole;
        }

        string f = (v % div).ToString("D" + prec.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture).TrimEnd('0');
        return f.Length > 0 ? whole + "." + f : whole;
    }
}

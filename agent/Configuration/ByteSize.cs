using System.Globalization;

namespace Diode.Edge.Agent.Configuration;

/// <summary>Sizes as users write them: <c>1048576</c>, <c>512K</c>, <c>512MB</c>, <c>2GiB</c>. K, M, G, T are powers of 1024, as in systemd.</summary>
internal static class ByteSize
{
    public static bool TryParse(string? text, out long bytes)
    {
        bytes = 0;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        ReadOnlySpan<char> s = text.AsSpan().Trim();
        int end = 0;
        while (end < s.Length && (char.IsAsciiDigit(s[end]) || s[end] == '.'))
        {
            end++;
        }

        if (end == 0 || !double.TryParse(s[..end], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double number))
        {
            return false;
        }

        string unit = s[end..].Trim().ToString().ToUpperInvariant();
        double multiplier = unit switch
        {
            "" or "B" => 1,
            "K" or "KB" or "KIB" => 1L << 10,
            "M" or "MB" or "MIB" => 1L << 20,
            "G" or "GB" or "GIB" => 1L << 30,
            "T" or "TB" or "TIB" => 1L << 40,
            _ => double.NaN,
        };
        double result = number * multiplier;
        if (double.IsNaN(result) || result > long.MaxValue)
        {
            return false;
        }

        bytes = (long)result;
        return true;
    }

    public static string Format(long bytes)
    {
        string[] units = ["B", "KB", "MB", "GB", "TB"];
        int u = 0;
        while (u < units.Length - 1 && bytes != 0 && bytes % 1024 == 0)
        {
            bytes /= 1024;
            u++;
        }

        return u == 0 ? bytes.ToString(CultureInfo.InvariantCulture) : string.Create(CultureInfo.InvariantCulture, $"{bytes}{units[u]}");
    }
}

using System.Globalization;

namespace Diode.Edge.Bench.FanOut;

/// <summary>Finds the payload's <c>ts</c> in a frame's bytes (escaped inside the frame JSON) without parsing the JSON.</summary>
public static class FrameTimestamp
{
    private static ReadOnlySpan<byte> Marker => "ts\\\":\\\""u8;

    /// <summary>Milliseconds since the frame's ts, when a whole ts is in <paramref name="bytes"/>.</summary>
    public static bool TryAge(ReadOnlySpan<byte> bytes, DateTimeOffset now, out double milliseconds)
    {
        milliseconds = 0;
        int at = bytes.IndexOf(Marker);
        if (at < 0 || bytes.Length < at + Marker.Length + 24)
        {
            return false;
        }

        var ts = bytes.Slice(at + Marker.Length, 24);
        Span<char> chars = stackalloc char[24];
        for (int i = 0; i < 24; i++)
        {
            chars[i] = (char)ts[i];
        }

        if (!DateTimeOffset.TryParseExact(chars, "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var when))
        {
            return false;
        }

        milliseconds = (now - when).TotalMilliseconds;
        return true;
    }

    /// <summary>Counts occurrences of <paramref name="pattern"/>.</summary>
    public static int Count(ReadOnlySpan<byte> bytes, ReadOnlySpan<byte> pattern)
    {
        int count = 0;
        int at;
        while ((at = bytes.IndexOf(pattern)) >= 0)
        {
            count++;
            bytes = bytes[(at + pattern.Length)..];
        }

        return count;
    }
}

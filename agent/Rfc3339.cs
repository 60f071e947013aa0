using System.Globalization;

namespace Diode.Edge.Agent;

/// <summary>The one timestamp format of the stream contract and of /health: RFC 3339 UTC with milliseconds.</summary>
internal static class Rfc3339
{
    public const string Format = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    public static string ToText(DateTimeOffset at) => at.UtcDateTime.ToString(Format, CultureInfo.InvariantCulture);
}

using System.Text;

namespace Diode.Edge.Agent.Configuration;

/// <summary>Converts between configuration keys (<c>sensors:1:interval</c>) and the way users write them (<c>sensors[1].interval</c>).</summary>
internal static class ConfigKey
{
    public static string ToDisplay(string configKey)
    {
        ArgumentNullException.ThrowIfNull(configKey);
        var sb = new StringBuilder(configKey.Length + 4);
        foreach (string segment in configKey.Split(':'))
        {
            if (segment.Length > 0 && segment.All(char.IsAsciiDigit))
            {
                sb.Append('[').Append(segment).Append(']');
            }
            else
            {
                if (sb.Length > 0)
                {
                    sb.Append('.');
                }

                sb.Append(segment);
            }
        }

        return sb.ToString();
    }

    /// <summary>Parses <c>sensors[0].interval</c> or <c>sensors.0.interval</c> into <c>sensors:0:interval</c>; null when malformed.</summary>
    public static string? FromDisplay(string displayKey)
    {
        ArgumentNullException.ThrowIfNull(displayKey);
        string key = displayKey.Replace("[", ".", StringComparison.Ordinal).Replace("]", string.Empty, StringComparison.Ordinal);
        string[] parts = key.Split('.');
        return parts.Any(string.IsNullOrWhiteSpace) ? null : string.Join(':', parts);
    }

    /// <summary>The environment variable that sets a key, e.g. <c>DIODE_EDGE__SENSORS__0__INTERVAL</c>.</summary>
    public static string ToEnvironmentVariable(string configKey) =>
        ConfigLoader.EnvironmentPrefix + configKey.Replace(":", "__", StringComparison.Ordinal).ToUpperInvariant();
}

using System.ComponentModel;
using Microsoft.Extensions.Configuration;

namespace Diode.Edge.Agent.Configuration;

/// <summary>One entry of the <c>streams</c> section: who may read a stream through the published port.</summary>
internal sealed class StreamAccessOptions
{
    /// <summary>
    /// Diode addresses (0x + 40 hex) allowed to read the stream, and/or the word <c>fleet</c>: any consumer the Diode
    /// client vouches for (in protected mode, a device of the fleet). Absent: <c>["fleet"]</c>.
    /// </summary>
    [Description("Diode addresses (0x and 40 hex digits) allowed to read the stream, and/or fleet: every consumer the Diode client vouches for; null: [\"fleet\"]; []: nobody.")]
    public List<string>? Allow { get; set; }

    /// <summary>
    /// <c>"allow": []</c> reaches the configuration as a key with an empty value, which binds like an absent key (null, i.e.
    /// every vouched consumer); it means nobody, so it is restored as an empty list (fail closed; the validator warns).
    /// </summary>
    internal static void KeepEmptyAllowLists(AgentOptions options, IConfiguration raw)
    {
        foreach (var (key, value) in raw.AsEnumerable())
        {
            string[] parts = key.Split(':');
            if (string.IsNullOrEmpty(value) && parts is ["streams", { Length: > 0 } stream, var allow] && allow.Equals("allow", StringComparison.OrdinalIgnoreCase)
                && !raw.GetSection(key).GetChildren().Any())
            {
                var access = options.Streams.TryGetValue(stream, out var existing) ? existing : options.Streams[stream] = new StreamAccessOptions();
                access.Allow ??= [];
            }
        }
    }
}

using Diode.Edge.Agent.Configuration;
using Diode.Edge.Agent.Diode.Api;
using Microsoft.Extensions.Options;

namespace Diode.Edge.Agent.Diode.Consumers;

/// <summary>
/// Who may read which stream through the published port (the <c>streams</c> section): a stream without an entry, or
/// whose entry has no <c>allow</c>, or whose <c>allow</c> lists <c>fleet</c>, is readable by every consumer the Diode
/// client vouches for; otherwise only by the addresses listed (compared as addresses, any case).
/// </summary>
internal sealed class StreamAccess
{
    /// <summary>The allow entry that admits every consumer the Diode client vouches for.</summary>
    public const string Fleet = "fleet";

    private readonly Dictionary<string, HashSet<string>?> _allowed = new(StringComparer.Ordinal);

    public StreamAccess(IOptions<IReadOnlyDictionary<string, StreamAccessOptions>> streams)
    {
        ArgumentNullException.ThrowIfNull(streams);
        foreach (var (stream, access) in streams.Value)
        {
            var allow = access?.Allow;
            _allowed[stream] = allow is null || allow.Contains(Fleet, StringComparer.Ordinal)
                ? null
                : allow.Select(a => DiodeConfigApi.NormalizeAddress(a) ?? a).ToHashSet(StringComparer.OrdinalIgnoreCase);
        }
    }

    /// <summary>May the consumer <paramref name="address"/> (as the Diode client vouched for it) read <paramref name="stream"/>?</summary>
    public bool Allows(string address, string stream) =>
        !_allowed.TryGetValue(stream, out var allowed) || allowed is null || allowed.Contains(address);

    /// <summary>The 403 reason, in one sentence.</summary>
    public static string Refusal(string address, string stream) =>
        $"consumer {address} is not allowed to read stream \"{stream}\" (streams.{stream}.allow)";
}

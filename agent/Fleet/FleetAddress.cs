using System.Buffers;

namespace Diode.Edge.Agent.Fleet;

/// <summary>Ethereum addresses as owners, fleets and devices are named: 0x and 40 hex digits, compared without case.</summary>
internal static class FleetAddress
{
    private static readonly SearchValues<char> Hex = SearchValues.Create("0123456789abcdefABCDEF");

    public static bool IsAddress(string? text) =>
        text is { Length: 42 } && text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) && !text.AsSpan(2).ContainsAnyExcept(Hex);

    /// <summary>The 20 bytes of an address that <see cref="IsAddress"/> accepted.</summary>
    public static byte[] Bytes(string address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return Convert.FromHexString(address.AsSpan(2));
    }
}

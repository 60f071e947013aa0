using System.Buffers;

namespace Diode.Edge.Contract;

/// <summary>
/// An Ethereum/Diode address as devices, owners and fleets are named: <c>0x</c> and 40 hex digits, either case (the
/// EIP-55 checksum of a mixed-case address is the configuration's concern, not this one's). The one check the agent,
/// its CLI and a consumer share.
/// </summary>
public static class EthereumAddress
{
    /// <summary>The hex digits of either case, for the address and signature checks.</summary>
    internal static readonly SearchValues<char> HexDigits = SearchValues.Create("0123456789abcdefABCDEF");

    /// <summary>Whether <paramref name="text"/> is <c>0x</c> (lower-case x) followed by exactly 40 hex digits.</summary>
    public static bool IsAddress(string? text) =>
        text is { Length: 42 } && text.StartsWith("0x", StringComparison.Ordinal) && !text.AsSpan(2).ContainsAnyExcept(HexDigits);

    /// <summary>The 20 bytes of an address that <see cref="IsAddress"/> accepted.</summary>
    public static byte[] Bytes(string address)
    {
        if (!IsAddress(address))
        {
            throw new ArgumentException($"\"{address}\" is not an address (0x followed by 40 hex digits)", nameof(address));
        }

        return Convert.FromHexString(address.AsSpan(2));
    }
}

using Diode.Edge.Contract;

namespace Diode.Edge.Agent.Configuration.Validation;

/// <summary>An Ethereum/Diode address as config takes it: 0x and 40 hex digits; in mixed case the EIP-55 checksum must hold (a typo in one letter is caught).</summary>
internal static class AddressRule
{
    /// <summary>What is wrong with <paramref name="address"/> as an address, or null when nothing is.</summary>
    public static string? Problem(string address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (!EthereumAddress.IsAddress(address))
        {
            return $"\"{address}\" is not an address (0x followed by 40 hex digits)";
        }

        return address[2..].Any(char.IsUpper) && address[2..].Any(char.IsLower) && !new Nethereum.Util.AddressUtil().IsChecksumAddress(address)
            ? $"\"{address}\" fails its EIP-55 checksum (mixed case): check for a typo, or write it all lower case"
            : null;
    }
}

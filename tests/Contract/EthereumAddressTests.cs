using Diode.Edge.Contract;
using Diode.Edge.Tests.Support;

namespace Diode.Edge.Tests.Contract;

/// <summary>The one address check that configuration, fleet deployments, the CLI and the frame verifier share.</summary>
[Trait("Tier", Tiers.Unit)]
public sealed class EthereumAddressTests
{
    [Theory]
    [InlineData("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed")]
    [InlineData("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed")]
    [InlineData("0x5AAEB6053F3E94C9B9A09F33669435E7EF1BEAED")]
    public void Takes_0x_and_40_hex_digits_in_either_case(string address)
    {
        Assert.True(EthereumAddress.IsAddress(address));
        Assert.Equal(20, EthereumAddress.Bytes(address).Length);
        Assert.Equal(0x5a, EthereumAddress.Bytes(address)[0]);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("0X5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed")]
    [InlineData("5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed")]
    [InlineData("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAe")]
    [InlineData("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed0")]
    [InlineData("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeg")]
    [InlineData(" 0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAe")]
    public void Refuses_anything_else_including_an_upper_case_0X(string? text)
    {
        Assert.False(EthereumAddress.IsAddress(text));
        if (text is not null)
        {
            var error = Assert.Throws<ArgumentException>(() => EthereumAddress.Bytes(text));
            Assert.Contains("is not an address (0x followed by 40 hex digits)", error.Message, StringComparison.Ordinal);
        }
    }
}

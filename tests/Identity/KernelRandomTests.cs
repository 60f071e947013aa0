using Diode.Edge.Contract;
using Diode.Edge.Tests.Support;

namespace Diode.Edge.Tests.Identity;

/// <summary>The kernel CSPRNG the device key and the signing context's blinding come from (getrandom(2)).</summary>
[Trait("Tier", Tiers.Unit)]
public sealed class KernelRandomTests
{
    [Fact]
    public void It_fills_every_byte_of_small_and_large_buffers_with_fresh_values()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < 1_000; i++)
        {
            var seed = new byte[32];
            KernelRandom.Fill(seed);
            Assert.True(seen.Add(Convert.ToHexString(seed)), "two 32-byte draws were equal");
        }

        // Larger than one getrandom call returns at a time from the urandom pool (32 MiB - 1): the loop fills the rest.
        var large = new byte[(32 << 20) + 4096];
        KernelRandom.Fill(large);
        var counts = new int[256];
        foreach (byte b in large)
        {
            counts[b]++;
        }

        // Uniform bytes: each value about 1/256 of the buffer; the last page is filled too, not left zero.
        double expected = large.Length / 256.0;
        Assert.All(counts, c => Assert.InRange(c, expected * 0.98, expected * 1.02));
        Assert.Contains(large[^4096..], b => b != 0);
    }

    [Fact]
    public void An_empty_buffer_is_a_no_op() => KernelRandom.Fill([]);
}

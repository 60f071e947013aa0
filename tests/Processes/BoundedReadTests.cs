using System.Text;
using Diode.Edge.Agent.Processes;
using Diode.Edge.Contract;
using Diode.Edge.Tests.Support;

namespace Diode.Edge.Tests.Processes;

/// <summary>Reading another program's output never costs more memory than the bound, whatever it writes. Timing-sensitive:
/// its allocation figure is process-wide, so tests running beside it (signing 1,000 frames) would count.</summary>
[Collection(TimingSensitive.Name)]
[Trait("Tier", Tiers.Hostile)]
public sealed class BoundedReadTests
{
    [Fact]
    public async Task A_fifty_megabyte_line_without_a_newline_is_cut_counted_and_the_next_line_still_read()
    {
        using var source = new EndlessLine(50 << 20, "\nnext line\n");
        using var reader = new BoundedLineReader(source);
        long before = GC.GetTotalAllocatedBytes(precise: true);

        string? first = await reader.ReadLineAsync();
        string? second = await reader.ReadLineAsync();

        long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        Assert.Equal(BoundedLineReader.DefaultMaxLineLength, first!.Length);
        Assert.Equal("next line", second);
        Assert.Null(await reader.ReadLineAsync());
        Assert.Equal(1, reader.TruncatedLines);
        Assert.Equal((50L << 20) - BoundedLineReader.DefaultMaxLineLength, reader.DroppedBytes);
        Assert.True(allocated < 1 << 20, $"reading a 50 MB line allocated {allocated} bytes");
    }

    [Fact]
    public async Task A_command_whose_output_never_ends_is_bounded_and_killed_at_its_time_limit()
    {
        var (code, output) = await BoundedCommand.RunAsync("/usr/bin/yes", ["diode"], TimeSpan.FromSeconds(2), CancellationToken.None);

        Assert.Equal(-1, code);
        Assert.StartsWith("timed out after 2 s: diode\ndiode\n", output, StringComparison.Ordinal);
        Assert.EndsWith("more characters dropped]", output, StringComparison.Ordinal);
        Assert.True(output.Length < BoundedCommand.MaxOutput + 200, $"kept {output.Length} characters");
    }

    /// <summary>A stream of <paramref name="length"/> bytes of 'x' then a tail, produced as it is read (nothing held).</summary>
    private sealed class EndlessLine(long length, string tail) : Stream
    {
        private readonly byte[] _tail = Encoding.UTF8.GetBytes(tail);
        private long _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => length + _tail.Length;

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            int n = 0;
            while (n < count && _position < Length)
            {
                buffer[offset + n++] = _position < length ? (byte)'x' : _tail[_position - length];
                _position++;
            }

            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

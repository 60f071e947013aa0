using System.Buffers;
using System.Text;

namespace Diode.Edge.Contract;

/// <summary>
/// Reads lines from another program's output with a bound on line length: a longer line is cut at
/// <see cref="MaxLineLength"/> bytes, the rest of it is skipped (counted in <see cref="TruncatedLines"/> and
/// <see cref="DroppedBytes"/>), never buffered. Memory stays at one pooled buffer and one line, whatever the child writes.
/// </summary>
internal sealed class BoundedLineReader(Stream stream, int maxLineLength = BoundedLineReader.DefaultMaxLineLength) : IDisposable
{
    public const int DefaultMaxLineLength = 4096;

    private readonly byte[] _buffer = ArrayPool<byte>.Shared.Rent(8192);
    private readonly byte[] _line = ArrayPool<byte>.Shared.Rent(maxLineLength);
    private int _start;
    private int _end;
    private bool _eof;

    public int MaxLineLength => maxLineLength;

    public long TruncatedLines { get; private set; }

    public long DroppedBytes { get; private set; }

    /// <summary>Whether the line last returned was cut (a reader that cannot use a partial line skips it).</summary>
    public bool LastLineTruncated { get; private set; }

    /// <summary>The next line without its end (LF or CRLF), or null at the end of the stream.</summary>
    public async ValueTask<string?> ReadLineAsync(CancellationToken cancellationToken = default)
    {
        int length = 0;
        bool skipping = false;
        LastLineTruncated = false;
        while (true)
        {
            if (_start == _end)
            {
                if (_eof)
                {
                    return length > 0 || skipping ? Decode(length) : null;
                }

                _start = 0;
                _end = await stream.ReadAsync(_buffer, cancellationToken).ConfigureAwait(false);
                if (_end == 0)
                {
                    _eof = true;
                    continue;
                }
            }

            int newline = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            int chunkEnd = newline < 0 ? _end : newline;
            int chunk = chunkEnd - _start;
            int room = maxLineLength - length;
            if (chunk > room)
            {
                if (!skipping)
                {
                    skipping = true;
                    LastLineTruncated = true;
                    TruncatedLines++;
                }

                DroppedBytes += chunk - room;
                chunk = room;
            }

            Buffer.BlockCopy(_buffer, _start, _line, length, chunk);
            length += chunk;
            _start = newline < 0 ? _end : newline + 1;
            if (newline >= 0)
            {
                return Decode(length);
            }
        }
    }

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_buffer);
        ArrayPool<byte>.Shared.Return(_line);
    }

    private string Decode(int length)
    {
        if (length > 0 && _line[length - 1] == '\r')
        {
            length--;
        }

        return Encoding.UTF8.GetString(_line, 0, length);
    }
}

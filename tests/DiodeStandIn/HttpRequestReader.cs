using System.Globalization;
using System.Text;

namespace Diode.Edge.Tests.DiodeStandIn;

/// <summary>Reads requests off a keep-alive connection.</summary>
internal sealed class HttpRequestReader(Stream stream)
{
    private readonly byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;

    public async Task<HttpRequest?> ReadAsync(CancellationToken ct)
    {
        int headEnd;
        while ((headEnd = IndexOfHeadEnd()) < 0)
        {
            if (!await FillAsync(ct))
            {
                return null;
            }
        }

        string head = Encoding.Latin1.GetString(_buffer, _start, headEnd - _start);
        _start = headEnd + 4;
        string[] lines = head.Split("\r\n");
        string[] requestLine = lines[0].Split(' ');
        if (requestLine.Length != 3)
        {
            throw new FormatException("bad request line");
        }

        var headers = new List<(string, string)>();
        foreach (string line in lines.Skip(1))
        {
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                headers.Add((line[..colon].Trim(), line[(colon + 1)..].Trim()));
            }
        }

        string? Get(string n) => headers.FirstOrDefault(h => string.Equals(h.Item1, n, StringComparison.OrdinalIgnoreCase)).Item2;
        int length = int.TryParse(Get("Content-Length"), NumberStyles.None, CultureInfo.InvariantCulture, out int l) ? l : 0;
        if (length > 1_048_576)
        {
            throw new FormatException("body too large");
        }

        var body = new byte[length];
        int read = 0;
        while (read < length)
        {
            if (_start == _end && !await FillAsync(ct))
            {
                return null;
            }

            int n = Math.Min(length - read, _end - _start);
            Array.Copy(_buffer, _start, body, read, n);
            _start += n;
            read += n;
        }

        string target = requestLine[1];
        int q = target.IndexOf('?', StringComparison.Ordinal);
        string connection = Get("Connection") ?? "";
        bool keepAlive = requestLine[2] == "HTTP/1.1"
            ? !connection.Contains("close", StringComparison.OrdinalIgnoreCase)
            : connection.Contains("keep-alive", StringComparison.OrdinalIgnoreCase);
        return new HttpRequest
        {
            Method = requestLine[0],
            Path = Uri.UnescapeDataString(q >= 0 ? target[..q] : target),
            RawQuery = q >= 0 ? target[(q + 1)..] : "",
            Headers = headers,
            Body = Encoding.UTF8.GetString(body),
            KeepAlive = keepAlive,
        };
    }

    private int IndexOfHeadEnd()
    {
        for (int i = _start; i + 3 < _end; i++)
        {
            if (_buffer[i] == '\r' && _buffer[i + 1] == '\n' && _buffer[i + 2] == '\r' && _buffer[i + 3] == '\n')
            {
                return i;
            }
        }

        return -1;
    }

    private async Task<bool> FillAsync(CancellationToken ct)
    {
        if (_start > 0)
        {
            Array.Copy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            throw new FormatException("request head too large");
        }

        int n = await stream.ReadAsync(_buffer.AsMemory(_end), ct);
        _end += n;
        return n > 0;
    }
}

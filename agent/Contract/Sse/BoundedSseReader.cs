using System.Runtime.CompilerServices;
using System.Text;

namespace Diode.Edge.Contract;

/// <summary>
/// Reads server-sent events from an upstream that is not trusted, with a bound on every line and every event's data
/// (<see cref="MaxLineLength"/>): a longer line is skipped, counted in <see cref="OversizedLines"/> and
/// <see cref="DroppedBytes"/>, never buffered, and the event it belonged to is dropped. Memory stays at one line,
/// whatever the upstream sends; the events after an oversized one still arrive.
/// </summary>
public sealed class BoundedSseReader(Stream stream, int maxLineLength = BoundedSseReader.DefaultMaxLineLength) : IDisposable
{
    /// <summary>64 KB: a signed frame is well under 1 KB.</summary>
    public const int DefaultMaxLineLength = 64 * 1024;

    private readonly BoundedLineReader _lines = new(stream, maxLineLength);

    public int MaxLineLength => maxLineLength;

    public long OversizedLines => _lines.TruncatedLines;

    public long DroppedBytes => _lines.DroppedBytes;

    public async IAsyncEnumerable<UpstreamEvent> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        string? type = null;
        string? id = null;
        var data = new StringBuilder();
        bool hasData = false;
        bool spoiled = false;
        while (await _lines.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (_lines.LastLineTruncated)
            {
                spoiled = true;
                continue;
            }

            if (line.Length == 0)
            {
                if (hasData && !spoiled)
                {
                    yield return new UpstreamEvent(type ?? "message", id, data.ToString());
                }

                (type, hasData, spoiled) = (null, false, false);
                data.Clear();
                continue;
            }

            int colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon == 0)
            {
                continue; // a comment (keep-alive)
            }

            string field = colon < 0 ? line : line[..colon];
            string value = colon < 0 ? string.Empty : line[(colon + 1)..];
            if (value.StartsWith(' '))
            {
                value = value[1..];
            }

            switch (field)
            {
                case "event":
                    type = value;
                    break;
                case "id" when !value.Contains('\0', StringComparison.Ordinal):
                    id = value;
                    break;
                case "data":
                    if (data.Length + value.Length + 1 > maxLineLength)
                    {
                        spoiled = true; // many short data lines add up to no more than one long one
                        break;
                    }

                    if (hasData)
                    {
                        data.Append('\n');
                    }

                    data.Append(value);
                    hasData = true;
                    break;
            }
        }
    }

    public void Dispose() => _lines.Dispose();
}

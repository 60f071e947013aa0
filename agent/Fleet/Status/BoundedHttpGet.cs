using System.Buffers;
using System.Net;

namespace Diode.Edge.Agent.Fleet.Status;

/// <summary>
/// A GET whose answer is read with a size bound: a longer body (by its Content-Length or as it arrives) is refused with
/// <see cref="FleetFetchException"/> after at most <c>limit + 1</c> bytes, never buffered whole. Another server decides
/// what it sends; this side decides how much it reads.
/// </summary>
internal static class BoundedHttpGet
{
    public static async Task<(HttpStatusCode Status, byte[] Body)> GetAsync(HttpClient http, Uri url, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.ParseAdd("application/json");
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (response.Content.Headers.ContentLength > limit)
        {
            throw new FleetFetchException($"answer of {response.Content.Headers.ContentLength} bytes refused (at most {limit})");
        }

        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(limit + 1);
        try
        {
            int total = 0;
            int read;
            while (total <= limit && (read = await body.ReadAsync(buffer.AsMemory(total, limit + 1 - total), cancellationToken).ConfigureAwait(false)) > 0)
            {
                total += read;
            }

            if (total > limit)
            {
                throw new FleetFetchException($"answer longer than {limit} bytes refused");
            }

            return (response.StatusCode, buffer.AsSpan(0, total).ToArray());
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}

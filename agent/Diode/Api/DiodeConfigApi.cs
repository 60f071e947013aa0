using System.Buffers;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;
using Nethereum.Util;

namespace Diode.Edge.Agent.Diode.Api;

/// <summary>
/// A client for the Diode client's config API (<c>-api -apiaddr=127.0.0.1:PORT</c>, cmd/diode/config_server.go,
/// docs/diode-client.md). The server answers 415 to any request without <c>Content-Type: application/json</c> (its <c>requireJSON</c>
/// wraps every route, GET included), so every request here carries one, with an empty body. One <see cref="HttpClient"/>,
/// no proxy, 2 s timeouts; a response body is read into a fixed 64 KB buffer and never further: a larger one is an error,
/// counted in <see cref="OversizedResponses"/>.
/// </summary>
internal sealed partial class DiodeConfigApi : IDisposable
{
    /// <summary>The most a response body may hold; the real answers are well under 4 KB.</summary>
    public const int MaxResponseBytes = 64 * 1024;

    /// <summary>The first buffer for an answer without a Content-Length; the client's answers are a few hundred bytes.</summary>
    private const int InitialResponseBytes = 4096;

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);
    private static readonly MediaTypeHeaderValue Json = new("application/json");
    private readonly HttpClient _http;
    private long _oversized;
    private long _failures;

    public DiodeConfigApi(DiodeApiEndpoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        Endpoint = endpoint;
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            UseCookies = false,
            ConnectTimeout = Timeout,
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
            MaxResponseHeadersLength = 16,
            MaxConnectionsPerServer = 16,
            MaxResponseDrainSize = 0, // an unread (oversized) body closes the connection instead of being read to reuse it
        };
        _http = new HttpClient(handler, disposeHandler: true)
        {
            BaseAddress = endpoint.BaseAddress,
            Timeout = Timeout,
            MaxResponseContentBufferSize = MaxResponseBytes,
        };
    }

    public DiodeApiEndpoint Endpoint { get; }

    /// <summary>Responses refused for a body over <see cref="MaxResponseBytes"/>.</summary>
    public long OversizedResponses => Interlocked.Read(ref _oversized);

    /// <summary>Requests that got no usable answer (not reachable, timed out, unexpected status or body).</summary>
    public long Failures => Interlocked.Read(ref _failures);

    /// <summary><c>GET /config</c>: the client's address, fleet, version, ports; null when the API is not reachable or did not answer with its JSON.</summary>
    public async Task<DiodeClientConfig?> GetConfigAsync(CancellationToken cancellationToken)
    {
        var (status, body) = await GetAsync("config", DiodeApiJsonContext.Default.DiodeConfigResponse, cancellationToken).ConfigureAwait(false);
        if (status == HttpStatusCode.OK && body is { Success: true, Config: { } config })
        {
            return config;
        }

        Failed();
        return null;
    }

    /// <summary>
    /// <c>GET /connection-client-id?peer=ip:port</c>: the verified Diode address (EIP-55) of the device at the other end of
    /// a connection the client opened to a published port, <paramref name="peer"/> being that connection's remote end as
    /// the agent sees it; null when the client does not know it (404), or the API is not reachable or answered wrongly.
    /// </summary>
    public async Task<string?> GetConnectionClientIdAsync(IPEndPoint peer, CancellationToken cancellationToken) =>
        (await LookupConnectionAsync(peer, cancellationToken).ConfigureAwait(false)).Address;

    /// <summary><see cref="GetConnectionClientIdAsync"/> with the reason when there is no address.</summary>
    public async Task<ConnectionLookup> LookupConnectionAsync(IPEndPoint peer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(peer);
        var (status, body) = await GetAsync("connection-client-id?peer=" + Uri.EscapeDataString(PeerKey(peer)), DiodeApiJsonContext.Default.ConnectionClientIdResponse, cancellationToken).ConfigureAwait(false);
        switch (status)
        {
            case HttpStatusCode.OK when body?.ClientId is { } id && NormalizeAddress(id) is { } address:
                return new ConnectionLookup(ConnectionLookupOutcome.Found, address);
            case HttpStatusCode.NotFound:
                return new ConnectionLookup(ConnectionLookupOutcome.Unknown, null);
            case null or HttpStatusCode.ServiceUnavailable or >= HttpStatusCode.InternalServerError:
                Failed();
                return new ConnectionLookup(ConnectionLookupOutcome.Unavailable, null);
            default:
                Failed();
                return new ConnectionLookup(ConnectionLookupOutcome.Invalid, null);
        }
    }

    /// <summary>
    /// The peer as the client keys it: Go's <c>net.Addr.String()</c> of its end of the connection, <c>127.0.0.1:54321</c>
    /// or <c>[::1]:54321</c> (an IPv4-mapped IPv6 address, as a dual-stack socket reports an IPv4 peer, is written as IPv4).
    /// </summary>
    public static string PeerKey(IPEndPoint peer)
    {
        ArgumentNullException.ThrowIfNull(peer);
        return peer.Address.IsIPv4MappedToIPv6 ? new IPEndPoint(peer.Address.MapToIPv4(), peer.Port).ToString() : peer.ToString();
    }

    /// <summary>0x and 40 hex digits, returned with its EIP-55 checksum; null when malformed (or mixed case with a wrong checksum).</summary>
    public static string? NormalizeAddress(string address)
    {
        if (address is null || !AddressPattern().IsMatch(address))
        {
            return null;
        }

        string body = address[2..];
        bool mixed = body.Any(char.IsAsciiLetterUpper) && body.Any(char.IsAsciiLetterLower);
        if (mixed && !AddressUtil.Current.IsChecksumAddress(address))
        {
            return null;
        }

        return AddressUtil.Current.ConvertToChecksumAddress(address.ToLowerInvariant());
    }

    public void Dispose() => _http.Dispose();

    /// <summary>The status (null when nothing answered) and, for a 200 with a body of at most 64 KB that parses, the body.</summary>
    private async Task<(HttpStatusCode? Status, T? Body)> GetAsync<T>(string path, JsonTypeInfo<T> type, CancellationToken cancellationToken)
        where T : class
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Content = new ByteArrayContent([]);
        request.Content.Headers.ContentType = Json;
        byte[]? buffer = null;
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                return (response.StatusCode, null);
            }

            if (response.Content.Headers.ContentLength > MaxResponseBytes)
            {
                Interlocked.Increment(ref _oversized);
                return (HttpStatusCode.RequestEntityTooLarge, null);
            }

            // Sized to the answer, not to the bound: a probe every few seconds that rented the 64 KB bound (a 128 KB
            // pooled array) left one cached per pool thread, a heap that rose and fell by hundreds of KB.
            const int limit = MaxResponseBytes + 1;
            buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(limit, (response.Content.Headers.ContentLength ?? InitialResponseBytes - 1) + 1));
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(Timeout);
            var stream = await response.Content.ReadAsStreamAsync(timeout.Token).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                int length = 0;
                while (length < limit)
                {
                    if (length == buffer.Length)
                    {
                        byte[] larger = ArrayPool<byte>.Shared.Rent(Math.Min(limit, buffer.Length * 2));
                        buffer.AsSpan(0, length).CopyTo(larger);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = larger;
                    }

                    int read = await stream.ReadAsync(buffer.AsMemory(length, Math.Min(buffer.Length, limit) - length), timeout.Token).ConfigureAwait(false);
                    if (read == 0)
                    {
                        break;
                    }

                    length += read;
                }

                if (length > MaxResponseBytes)
                {
                    Interlocked.Increment(ref _oversized);
                    return (HttpStatusCode.RequestEntityTooLarge, null);
                }

                return (HttpStatusCode.OK, JsonSerializer.Deserialize(buffer.AsSpan(0, length), type));
            }
        }
        catch (JsonException)
        {
            return (HttpStatusCode.UnprocessableContent, null);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return (null, null);
        }
        finally
        {
            if (buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    private void Failed() => Interlocked.Increment(ref _failures);

    [GeneratedRegex("^0x[0-9a-fA-F]{40}$")]
    private static partial Regex AddressPattern();
}

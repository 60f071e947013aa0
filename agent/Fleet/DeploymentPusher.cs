using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Diode.Edge.Contract;

namespace Diode.Edge.Agent.Fleet;

/// <summary>
/// Posts one deployment to many devices (<c>POST /deployments</c>), at most <see cref="Concurrency"/> at a time, each
/// within <see cref="Timeout"/> (connection, request and answer together). An answer is another server's: at most
/// <see cref="MaxAnswerBytes"/> of it are read, a longer one is refused unbuffered, redirects are not followed, and
/// the text printed from it is stripped of control characters.
/// </summary>
internal sealed class DeploymentPusher(TimeSpan timeout, int concurrency, TimeProvider time) : IDisposable
{
    /// <summary>The most of a device's answer that is read (a <c>DeploymentAnswer</c> with 32 signers is about 2 KB).</summary>
    public const int MaxAnswerBytes = 16 * 1024;

    /// <summary>The most of a device's reason that is printed.</summary>
    private const int MaxDetailChars = 400;

    private readonly HttpClient _http = new(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        UseCookies = false,
        MaxResponseHeadersLength = 16, // KB
        MaxResponseDrainSize = 0, // an answer not read to its end is not read on either: the connection is closed
    })
    {
        Timeout = System.Threading.Timeout.InfiniteTimeSpan, // each device has its own deadline
    };

    public TimeSpan Timeout => timeout;

    public int Concurrency => concurrency;

    public void Dispose() => _http.Dispose();

    /// <summary>Pushes <paramref name="document"/> to every device; <paramref name="answered"/> is called as each answers (from several threads, one at a time).</summary>
    public async Task<IReadOnlyList<DeploymentPushResult>> PushAsync(byte[] document, IReadOnlyList<Uri> devices, Action<DeploymentPushResult> answered, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(devices);
        ArgumentNullException.ThrowIfNull(answered);
        var results = new DeploymentPushResult[devices.Count];
        var report = new Lock();
        await Parallel.ForEachAsync(
            Enumerable.Range(0, devices.Count),
            new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken },
            async (index, ct) =>
            {
                var result = await PushOneAsync(document, devices[index], ct).ConfigureAwait(false);
                results[index] = result;
                lock (report)
                {
                    answered(result);
                }
            }).ConfigureAwait(false);
        return results;
    }

    private async Task<DeploymentPushResult> PushOneAsync(byte[] document, Uri device, CancellationToken cancellationToken)
    {
        long started = time.GetTimestamp();
        using var deadline = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        DeploymentPushResult Result(DeploymentPushOutcome outcome, string detail, ulong? seq = null, string? rejection = null, IReadOnlyList<string>? signers = null) =>
            new(device, outcome, seq, rejection, detail, signers ?? [], time.GetElapsedTime(started));

        try
        {
            using var content = new ByteArrayContent(document);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var request = new HttpRequestMessage(HttpMethod.Post, DeploymentPushTargets.DeploymentsUrl(device)) { Content = content };
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
            if (response.Content.Headers.ContentLength > MaxAnswerBytes)
            {
                return Result(DeploymentPushOutcome.Unreachable, $"HTTP {(int)response.StatusCode}: an answer of {response.Content.Headers.ContentLength} bytes, more than the {MaxAnswerBytes} read (not a deployment answer)");
            }

            await using var stream = await response.Content.ReadAsStreamAsync(linked.Token).ConfigureAwait(false);
            byte[]? body = await ReadBoundedAsync(stream, linked.Token).ConfigureAwait(false);
            if (body is null)
            {
                return Result(DeploymentPushOutcome.Unreachable, $"HTTP {(int)response.StatusCode}: an answer longer than the {MaxAnswerBytes} bytes read (not a deployment answer)");
            }

            return Interpret(response.StatusCode, body, Result);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Result(DeploymentPushOutcome.Unreachable, $"no answer within {Configuration.Duration.Format(timeout)}");
        }
        catch (HttpRequestException ex)
        {
            return Result(DeploymentPushOutcome.Unreachable, Printable(Describe(ex)));
        }
        catch (IOException ex)
        {
            return Result(DeploymentPushOutcome.Unreachable, Printable("the connection broke: " + ex.Message));
        }
    }

    private static DeploymentPushResult Interpret(HttpStatusCode status, byte[] body, Func<DeploymentPushOutcome, string, ulong?, string?, IReadOnlyList<string>?, DeploymentPushResult> result)
    {
        string? state = null;
        ulong? seq = null;
        string? rejection = null;
        string reason = string.Empty;
        List<string> signers = [];
        try
        {
            using var answer = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 8 });
            var root = answer.RootElement;
            if (root.ValueKind == JsonValueKind.Object)
            {
                state = root.TryGetProperty("state", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
                seq = root.TryGetProperty("seq", out var q) && q.ValueKind == JsonValueKind.Number && q.TryGetUInt64(out ulong n) ? n : null;
                rejection = root.TryGetProperty("rejection", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString() : null;
                reason = root.TryGetProperty("reason", out var why) && why.ValueKind == JsonValueKind.String ? why.GetString()! : string.Empty;
                if (root.TryGetProperty("signers", out var list) && list.ValueKind == JsonValueKind.Array)
                {
                    signers.AddRange(list.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String && EthereumAddress.IsAddress(e.GetString())).Select(e => e.GetString()!).Take(DeploymentDocument.MaxSignatures));
                }
            }
        }
        catch (JsonException)
        {
        }

        if (status == HttpStatusCode.Accepted && state == "pending")
        {
            return result(DeploymentPushOutcome.Accepted, Printable(reason), seq, null, signers);
        }

        if (state == "rejected" && rejection is not null && (int)status is >= 400 and < 500)
        {
            return result(DeploymentPushOutcome.Rejected, Printable(reason), seq, Printable(rejection), null);
        }

        string text = Encoding.UTF8.GetString(body);
        return result(DeploymentPushOutcome.Unreachable, Printable($"HTTP {(int)status}, not a deployment answer{(text.Length > 0 ? ": " + text : string.Empty)}"), null, null, null);
    }

    private static string Describe(HttpRequestException ex)
    {
        // "Connection refused (127.0.0.1:1)" says more than "An error occurred while sending the request."
        for (Exception? inner = ex; inner is not null; inner = inner.InnerException)
        {
            if (inner is SocketException socket)
            {
                return socket.Message;
            }
        }

        return ex.InnerException is { } cause ? $"{ex.Message} ({cause.Message})" : ex.Message;
    }

    /// <summary>At most <see cref="MaxAnswerBytes"/> of the answer; null when there are more (read no further).</summary>
    private static async Task<byte[]?> ReadBoundedAsync(Stream stream, CancellationToken cancellationToken)
    {
        byte[] buffer = new byte[MaxAnswerBytes + 1];
        int total = 0;
        int read;
        while (total <= MaxAnswerBytes && (read = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken).ConfigureAwait(false)) > 0)
        {
            total += read;
        }

        return total > MaxAnswerBytes ? null : buffer[..total];
    }

    /// <summary>Another server's text, safe for a terminal: control characters (escape sequences, line breaks) replaced, and cut short.</summary>
    private static string Printable(string text)
    {
        var builder = new StringBuilder(Math.Min(text.Length, MaxDetailChars + 1));
        foreach (char c in text)
        {
            if (builder.Length == MaxDetailChars)
            {
                builder.Append('…');
                break;
            }

            builder.Append(char.IsControl(c) || c is '\u2028' or '\u2029' or '\u202e' ? ' ' : c);
        }

        return builder.ToString();
    }
}

using Diode.Edge.Agent.Configuration;
using Microsoft.Extensions.Options;

namespace Diode.Edge.Agent.Diode.Api;

/// <summary>
/// The Diode client's own address (the one consumers dial, docs/diode-client.md): from the supervisor's status (the client's
/// <c>Client address : 0x…</c> start line), else from <c>GET /config</c> (asked at most every 5 s, kept once known);
/// null while the client is off or has not said.
/// </summary>
internal sealed class DiodeClientAddress(IOptions<DiodeOptions> diode, DiodeSupervisor supervisor, DiodeConfigApi api, TimeProvider time)
{
    private static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(5);
    private string? _fromApi;
    private long _lastAsked = long.MinValue;

    public async ValueTask<string?> GetAsync(CancellationToken cancellationToken)
    {
        if (!diode.Value.IsOn())
        {
            return null;
        }

        if (supervisor.Status.ClientAddress is { } logged && DiodeConfigApi.NormalizeAddress(logged) is { } address)
        {
            return address;
        }

        if (Volatile.Read(ref _fromApi) is { } known)
        {
            return known;
        }

        long last = Interlocked.Read(ref _lastAsked);
        long now = time.GetTimestamp();
        if (last != long.MinValue && time.GetElapsedTime(last, now) < RetryAfter)
        {
            return null;
        }

        Interlocked.Exchange(ref _lastAsked, now);
        if (await api.GetConfigAsync(cancellationToken).ConfigureAwait(false) is { Client: { } client } && DiodeConfigApi.NormalizeAddress(client) is { } fromApi)
        {
            Volatile.Write(ref _fromApi, fromApi);
            return fromApi;
        }

        return null;
    }
}

using System.Net;
using Diode.Edge.Agent.Configuration;

namespace Diode.Edge.Agent.Relay;

/// <summary>What <c>diode-edge relay</c> needs: whom to follow, whose signature to require, where to serve.</summary>
internal sealed record RelayOptions(Uri Upstream, string Device, IPEndPoint Listen)
{
    public HubOptions Hub { get; init; } = new();

    public HttpOptions Http { get; init; } = new();

    /// <summary>How often the upstream's stream list is read again, to pick up new streams.</summary>
    public TimeSpan Rediscover { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>At most one log line per stream and reason of rejection in this interval; the rest are counted.</summary>
    public TimeSpan RejectionLogInterval { get; init; } = TimeSpan.FromSeconds(10);
}

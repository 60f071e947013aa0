using Diode.Edge.Agent.Identity;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Diode.Edge.Agent.Http;

/// <summary><c>GET /identity</c> (DESIGN.md §3, §4).</summary>
public static class IdentityEndpoint
{
    public static IEndpointRouteBuilder MapIdentityEndpoint(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/identity", (DeviceIdentity identity) => Results.Json(
            new IdentityResponse(identity.Address, identity.Fleet, AgentVersion.Current, identity.Statement, identity.StatementSignature),
            AgentJsonContext.Default.IdentityResponse));
        return endpoints;
    }
}

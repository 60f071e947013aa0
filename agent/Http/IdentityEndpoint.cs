using Diode.Edge.Agent.Diode.Api;
using Diode.Edge.Agent.Identity;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Diode.Edge.Agent.Http;

/// <summary><c>GET /identity</c> (DESIGN.md §3, §4).</summary>
public static class IdentityEndpoint
{
    public static IEndpointRouteBuilder MapIdentityEndpoint(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapMethods("/identity", ReadMethods.GetAndHead, async (DeviceIdentity identity, HttpContext context) =>
        {
            string? client = context.RequestServices.GetService<DiodeClientAddress>() is { } source
                ? await source.GetAsync(context.RequestAborted).ConfigureAwait(false)
                : null;
            var (statement, sig) = identity.StatementNaming(client);
            return Results.Json(
                new IdentityResponse(identity.Address, identity.Fleet, AgentVersion.Current, statement, sig, client),
                AgentJsonContext.Default.IdentityResponse);
        });
        return endpoints;
    }
}

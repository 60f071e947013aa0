using Diode.Edge.Agent.Diode.Api;
using Diode.Edge.Agent.Fleet;
using Diode.Edge.Agent.Identity;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Diode.Edge.Agent.Http;

/// <summary><c>GET /identity</c> (docs/identity.md): the signed statement names the Diode client and, with fleet owners, the deployment the device runs.</summary>
internal static class IdentityEndpoint
{
    public static IEndpointRouteBuilder MapIdentityEndpoint(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapMethods("/identity", ReadMethods.GetAndHead, async (DeviceIdentity identity, IOptions<FleetOptions> fleet, DeploymentService deployments, HttpContext context) =>
        {
            string? client = context.RequestServices.GetService<DiodeClientAddress>() is { } source
                ? await source.GetAsync(context.RequestAborted).ConfigureAwait(false)
                : null;
            StatementDeployment? deployment = fleet.Value.Enabled && deployments.State.Status is var status ? new StatementDeployment(status.AppliedSeq, status.State) : null;
            var (statement, sig) = identity.StatementNaming(client, deployment);
            return Results.Json(
                new IdentityResponse(identity.Address, identity.Fleet, AgentVersion.Current, statement, sig, client),
                AgentJsonContext.Default.IdentityResponse);
        });
        return endpoints;
    }
}

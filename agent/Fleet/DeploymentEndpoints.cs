using System.Text.Json;
using Diode.Edge.Agent.Http;
using Diode.Edge.Agent.Identity;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Diode.Edge.Agent.Fleet;

/// <summary>
/// <c>POST /deployments</c> (any carrier: the document proves itself), <c>GET /deployments/latest</c> (the applied
/// document, byte for byte, so devices pass it on to each other) and <c>GET /deployments/status</c> (signed by the
/// device, so whoever relays it cannot change it).
/// </summary>
internal static class DeploymentEndpoints
{
    public static IEndpointRouteBuilder MapDeploymentEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/deployments", async (HttpContext context, DeploymentService service) =>
        {
            if (context.Request.ContentLength > DeploymentDocument.MaxBytes)
            {
                return Results.Json(new ErrorResponse($"a deployment is at most {DeploymentDocument.MaxBytes} bytes"), AgentJsonContext.Default.ErrorResponse, statusCode: StatusCodes.Status413PayloadTooLarge);
            }

            byte[]? body = await ReadBoundedAsync(context.Request.Body, DeploymentDocument.MaxBytes, context.RequestAborted).ConfigureAwait(false);
            if (body is null)
            {
                return Results.Json(new ErrorResponse($"a deployment is at most {DeploymentDocument.MaxBytes} bytes"), AgentJsonContext.Default.ErrorResponse, statusCode: StatusCodes.Status413PayloadTooLarge);
            }

            string carrier = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
            var verdict = service.Offer(body, carrier);
            if (verdict.Accepted)
            {
                // The host stops to start again with it once the carrier has its answer, not before.
                context.Response.OnCompleted(() =>
                {
                    service.Apply();
                    return Task.CompletedTask;
                });
            }

            var status = service.State.Status;
            var answer = new DeploymentAnswer(status.Seq, verdict.Accepted ? "pending" : "rejected", verdict.Rejection is { } r ? DeploymentService.Name(r) : null, verdict.Reason, verdict.Signers);
            int code = verdict.Rejection switch
            {
                null => StatusCodes.Status202Accepted,
                DeploymentRejection.Malformed => StatusCodes.Status400BadRequest,
                DeploymentRejection.Disabled => StatusCodes.Status404NotFound,
                DeploymentRejection.NotEnoughSignatures or DeploymentRejection.ForbiddenKey => StatusCodes.Status403Forbidden,
                DeploymentRejection.NotNewer => StatusCodes.Status409Conflict,
                _ => StatusCodes.Status422UnprocessableEntity,
            };
            return Results.Json(answer, AgentJsonContext.Default.DeploymentAnswer, statusCode: code);
        });

        endpoints.MapMethods("/deployments/latest", ReadMethods.GetAndHead, (DeploymentService service) =>
            service.State.Applied() is { } applied
                ? Results.Bytes(applied, "application/json")
                : Results.Json(new ErrorResponse("no deployment applied"), AgentJsonContext.Default.ErrorResponse, statusCode: StatusCodes.Status404NotFound));

        endpoints.MapMethods("/deployments/status", ReadMethods.GetAndHead, (DeploymentService service, DeviceIdentity identity, TimeProvider time) =>
        {
            string statement = Statement(identity.Address, service.State.Status, service.State.LastRejected, time.GetUtcNow());
            return Results.Json(new SignedStatement(statement, identity.Key.Sign(System.Text.Encoding.UTF8.GetBytes(statement))), AgentJsonContext.Default.SignedStatement);
        });
        return endpoints;
    }

    /// <summary>The exact text the device signs: <c>{"v":1,"kind":"diode-edge/deployment-status","device":…,"appliedSeq":…,"highestSeq":…,"state":…,"seq":…,"reason":…,"at":…,"component":…,"lastRejected":{"seq":…,"rejection":…,"reason":…,"at":…},"ts":…}</c>.</summary>
    public static string Statement(string device, DeploymentStatus status, DeploymentRejected? lastRejected, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(status);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("v", 1);
            writer.WriteString("kind", "diode-edge/deployment-status");
            writer.WriteString("device", device);
            status.WriteMembers(writer);

            if (lastRejected is not null)
            {
                writer.WriteStartObject("lastRejected");
                writer.WriteNumber("seq", lastRejected.Seq);
                writer.WriteString("rejection", lastRejected.Rejection);
                writer.WriteString("reason", lastRejected.Reason);
                writer.WriteString("at", Rfc3339.ToText(lastRejected.At));
                writer.WriteEndObject();
            }

            writer.WriteString("ts", Rfc3339.ToText(now));
            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>At most <paramref name="limit"/> bytes of <paramref name="body"/>; null when there are more (never buffered).</summary>
    private static async Task<byte[]?> ReadBoundedAsync(Stream body, int limit, CancellationToken cancellationToken)
    {
        byte[] buffer = new byte[limit + 1];
        int total = 0;
        int read;
        while (total <= limit && (read = await body.ReadAsync(buffer.AsMemory(total), cancellationToken).ConfigureAwait(false)) > 0)
        {
            total += read;
        }

        return total > limit ? null : buffer[..total];
    }
}

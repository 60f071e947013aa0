using System.Text.Json;
using Diode.Edge.Agent.Http;
using Microsoft.AspNetCore.Http;

namespace Diode.Edge.Agent.Hosting;

/// <summary>
/// Against DNS rebinding: a web page a user visits could resolve its own name to 127.0.0.1 and read the loopback port
/// from the user's browser; the browser still sends the page's name as Host. So the loopback port answers only Host
/// headers naming a loopback name or address (any port) or one of <c>http.allowedHosts</c>; anything else is 421.
/// The published consumer port (<c>diode.consumerPort</c>) is not checked: its requests name the device's
/// <c>*.diode.link</c> address, and the Diode client vouches for every connection there.
/// </summary>
internal sealed class HostAllowList(IEnumerable<string> allowedHosts, int? exemptPort)
{
    private static readonly string[] Loopback = ["localhost", "127.0.0.1", "[::1]", "::1"];

    private readonly HashSet<string> _allowed = new([.. Loopback, .. allowedHosts.Select(h => h.Trim())], StringComparer.OrdinalIgnoreCase);

    public bool IsAllowed(HostString host) => host.HasValue && _allowed.Contains(host.Host);

    public Task InvokeAsync(HttpContext context, Func<Task> next)
    {
        if ((exemptPort is { } port && context.Connection.LocalPort == port) || IsAllowed(context.Request.Host))
        {
            return next();
        }

        context.Response.StatusCode = StatusCodes.Status421MisdirectedRequest;
        context.Response.ContentType = "application/json";
        string host = context.Request.Host.HasValue ? context.Request.Host.Host : string.Empty;
        string message = $"Host \"{host}\" is not served here: this port answers only localhost, 127.0.0.1 and [::1] (and the names in http.allowedHosts)";
        return context.Response.WriteAsync(JsonSerializer.Serialize(new ErrorResponse(message), AgentJsonContext.Default.ErrorResponse));
    }
}

using System.Net;

namespace Diode.Edge.Agent.Configuration.Validation;

/// <summary>An IP address to listen on.</summary>
internal sealed class IpAddressAttribute : ConfigValueAttribute
{
    protected override string? Problem(object? value) =>
        value is string text && IPAddress.TryParse(text, out _) ? null : $"\"{value}\" is not an IP address (e.g. 127.0.0.1, or 0.0.0.0 for every interface)";
}

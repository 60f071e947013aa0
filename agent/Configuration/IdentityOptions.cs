namespace Diode.Edge.Agent.Configuration;

/// <summary>The <c>identity</c> section: where the device key lives (DESIGN.md §4).</summary>
public sealed class IdentityOptions
{
    /// <summary>Path of the device's secp256k1 key (hex, mode 0600).</summary>
    public string KeyPath { get; set; } = "/var/lib/diode-edge/device.key";
}

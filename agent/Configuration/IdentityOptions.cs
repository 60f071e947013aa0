using System.ComponentModel;
using Diode.Edge.Agent.Configuration.Validation;

namespace Diode.Edge.Agent.Configuration;

/// <summary>The <c>identity</c> section: where the device key lives (docs/identity.md).</summary>
internal sealed class IdentityOptions
{
    /// <summary>Path of the device's secp256k1 key (hex, mode 0600).</summary>
    [Description("Path of the device's secp256k1 key (hex, mode 0600), created on first start.")]
    [RequiredValue("e.g. /var/lib/diode-edge/device.key")]
    public string KeyPath { get; set; } = "/var/lib/diode-edge/device.key";

    /// <summary>
    /// Make the Diode client's identity the device key (written into the client's database before it starts), so the
    /// address consumers dial is the address that signs the frames. Off: the client keeps a key of its own, and the
    /// signed <c>/identity</c> statement names both addresses.
    /// </summary>
    [Description("Make the device key the Diode client's identity too, so consumers dial the address that signs the frames.")]
    public bool ShareWithDiode { get; set; }
}

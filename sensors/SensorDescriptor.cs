using Diode.Edge.Sensors.Scan;

namespace Diode.Edge.Sensors;

/// <summary>
/// Everything the agent knows about one sensor type, kept next to its device class: the name config uses, its bus, its
/// default I2C address, what it publishes, how it is built, how <c>sensors scan</c> recognises it, the keys only it reads
/// with their rules, and what Home Assistant needs of it. <see cref="SensorCatalog"/> lists them all.
/// </summary>
internal sealed class SensorDescriptor
{
    /// <summary>The type as written in config.json (<c>sensors[].type</c>).</summary>
    public required string Type { get; init; }

    /// <summary>How it is attached: an I2C type takes <c>bus</c>/<c>address</c>, a GPIO type needs <c>pin</c>.</summary>
    public required SensorBus Bus { get; init; }

    /// <summary>The I2C address it has when config gives none (what the common breakout boards use); set for every I2C type, null for the others.</summary>
    public int? DefaultAddress { get; init; }

    /// <summary>The quantities (name, unit) a sensor of this config publishes, known before it starts (for /streams); empty when only the device can tell.</summary>
    public required Func<SensorOptions, IReadOnlyList<Quantity>> Quantities { get; init; }

    /// <summary>Builds the sensor from its config entry; nothing is opened until it starts. Throws <see cref="SensorStartException"/> when the entry lacks what the type needs.</summary>
    public required Func<SensorContext, ISensor> Create { get; init; }

    /// <summary>How <c>sensors scan</c> recognises the chip on an I2C bus; null when it cannot (not I2C).</summary>
    public I2cSignature? Signature { get; init; }

    /// <summary>The keys of a <c>sensors[]</c> entry only this type reads, beyond <c>bus</c>/<c>address</c> (I2C) and <c>pin</c> (GPIO); another type warns that they are ignored where it checks.</summary>
    public IReadOnlyList<string> Keys { get; init; } = [];

    /// <summary>The config check of those keys (<c>config check</c>, start-up); null when there is nothing to check.</summary>
    public Action<SensorOptions, SensorOptionsProblems>? Rules { get; init; }

    /// <summary>
    /// Home Assistant: its quantities with unit <c>1</c> are on/off states, announced as a <c>binary_sensor</c>. The rest of the
    /// mapping (unit, device class) goes by quantity, not by type: <c>HomeAssistantDiscovery.Unit</c> and <c>DeviceClass</c>.
    /// </summary>
    public bool BinaryStates { get; init; }
}

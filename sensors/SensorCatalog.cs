using Diode.Edge.Sensors.Devices;
using Diode.Edge.Sensors.Simulated;

namespace Diode.Edge.Sensors;

/// <summary>
/// The sensor types this build supports: the one list the factory, <c>sensors scan</c>, <c>doctor</c>, the config check
/// and Home Assistant discovery read. Adding a sensor type = one <see cref="SensorDescriptor"/> in its device's folder
/// (next to the device class) + one line in <see cref="All"/>. An explicit list, not reflection: Native AOT and trimming.
/// </summary>
internal static class SensorCatalog
{
    /// <summary>Every type, in the order messages list them ("one of: …").</summary>
    public static IReadOnlyList<SensorDescriptor> All { get; } =
    [
        Bme280Descriptor.Instance,
        Bmp280Descriptor.Instance,
        Bme680Descriptor.Instance,
        Sht3xDescriptor.Instance,
        Bh1750Descriptor.Instance,
        Ads1115Descriptor.Instance,
        Dht22Descriptor.Instance,
        Ds18b20Descriptor.Instance,
        CpuTemperatureDescriptor.Instance,
        GpioInputDescriptor.Instance,
        SimulatedDescriptor.Instance,
    ];

    /// <summary>The type names, as written in config.json, in the order of <see cref="All"/>.</summary>
    public static IReadOnlyList<string> Types { get; } = [.. All.Select(d => d.Type)];

    private static readonly Dictionary<string, SensorDescriptor> s_byType = All.ToDictionary(d => d.Type, StringComparer.Ordinal);

    /// <summary>The descriptor of a config type name; null for an unknown (or missing) one.</summary>
    public static SensorDescriptor? Find(string? type) => type is not null && s_byType.TryGetValue(type, out var descriptor) ? descriptor : null;

    /// <summary>The type names on <paramref name="bus"/>, in the order of <see cref="All"/>.</summary>
    public static IReadOnlyList<string> TypesOn(SensorBus bus) => [.. All.Where(d => d.Bus == bus).Select(d => d.Type)];
}

namespace Diode.Edge.Sensors;

/// <summary>A quantity a sensor measures, with its stable snake_case name and its UCUM unit (docs/stream-contract.md).</summary>
public readonly record struct Quantity(string Name, string Unit)
{
    public static readonly Quantity Temperature = new("temperature", "Cel");
    public static readonly Quantity RelativeHumidity = new("relative_humidity", "%");
    public static readonly Quantity Pressure = new("pressure", "hPa");
    public static readonly Quantity Illuminance = new("illuminance", "lx");
    public static readonly Quantity Voltage = new("voltage", "V");
    public static readonly Quantity State = new("state", "1");
}

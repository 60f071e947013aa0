namespace Diode.Edge.Sensors;

/// <summary>One ADS1115 input published as a quantity (<c>channels</c> of an <c>ads1115</c> sensor).</summary>
public sealed class AdcChannelOptions
{
    /// <summary>The input: <c>A0</c>..<c>A3</c> against GND, or a differential pair <c>A0-A1</c>, <c>A0-A3</c>, <c>A1-A3</c>, <c>A2-A3</c>.</summary>
    public string? Input { get; set; }

    /// <summary>Quantity name in the frames (snake_case); default <c>voltage_a0</c> etc.</summary>
    public string? Name { get; set; }

    /// <summary>Full-scale range in volts (the PGA gain): 6.144, 4.096, 2.048, 1.024, 0.512 or 0.256. Default 4.096.</summary>
    public double Range { get; set; } = 4.096;
}

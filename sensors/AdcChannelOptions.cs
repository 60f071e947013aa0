using System.ComponentModel;

namespace Diode.Edge.Sensors;

/// <summary>One ADS1115 input published as a quantity (<c>channels</c> of an <c>ads1115</c> sensor).</summary>
public sealed class AdcChannelOptions
{
    /// <summary>The input: <c>A0</c>..<c>A3</c> against GND, or a differential pair <c>A0-A1</c>, <c>A0-A3</c>, <c>A1-A3</c>, <c>A2-A3</c>.</summary>
    [Description("The input: A0 to A3 against GND, or a differential pair A0-A1, A0-A3, A1-A3 or A2-A3.")]
    public string? Input { get; set; }

    /// <summary>Quantity name in the frames (snake_case); default <c>voltage_a0</c> etc.</summary>
    [Description("Quantity name in the frames (snake_case); null: voltage_a0 and so on.")]
    public string? Name { get; set; }

    /// <summary>Full-scale range in volts (the PGA gain): 6.144, 4.096, 2.048, 1.024, 0.512 or 0.256. Default 4.096.</summary>
    [Description("Full-scale range in volts (the PGA gain): 6.144, 4.096, 2.048, 1.024, 0.512 or 0.256.")]
    public double Range { get; set; } = 4.096;
}

namespace Diode.Edge.Tests.Support.Hardware;

/// <summary>
/// A BME280/BMP280 trimming parameter set. <see cref="DatasheetExample"/> is the BMP280 datasheet's worked example
/// (BST-BMP280-DS001, §8.2: adc_T 519888 → 25.08 °C, adc_P 415148 → 100653.27 Pa), the same formulas as the BME280's;
/// its humidity part is a real BME280's.
/// </summary>
public sealed record Bmx280Calibration(
    ushort T1, short T2, short T3,
    ushort P1, short P2, short P3, short P4, short P5, short P6, short P7, short P8, short P9,
    byte H1, short H2, byte H3, short H4, short H5, sbyte H6)
{
    public static Bmx280Calibration DatasheetExample { get; } = new(
        27504, 26435, -1000,
        36477, -10685, 3024, 2855, 140, -7, 15500, -14600, 6000,
        75, 362, 0, 313, 50, 30);
}

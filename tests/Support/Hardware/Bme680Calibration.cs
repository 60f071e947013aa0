namespace Diode.Edge.Tests.Support.Hardware;

/// <summary>A BME680 calibration set (names as in the datasheet's Table 13), typical of real parts.</summary>
public sealed record Bme680Calibration(
    ushort T1, short T2, sbyte T3,
    ushort P1, short P2, sbyte P3, short P4, short P5, sbyte P6, sbyte P7, short P8, short P9, byte P10,
    ushort H1, ushort H2, sbyte H3, sbyte H4, sbyte H5, byte H6, sbyte H7,
    sbyte G1, short G2, sbyte G3, byte ResHeatRange, sbyte ResHeatVal, byte RangeSwitchingError)
{
    public static Bme680Calibration Typical { get; } = new(
        26185, 26232, 3,
        36204, -10385, 88, 6858, -108, 30, 33, -4012, -2474, 30,
        742, 1026, 0, 45, 20, 120, 100,
        30, -12345, 18, 1, 40, 0);
}

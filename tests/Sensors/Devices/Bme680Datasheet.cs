using Diode.Edge.Tests.Support.Hardware;

namespace Diode.Edge.Tests.Sensors.Devices;

/// <summary>The BME680 datasheet's floating-point compensation (BST-BME680-DS001 §3.3.1–3.3.3, §3.4.1), transcribed to check the binding.</summary>
internal static class Bme680Datasheet
{
    private static readonly double[] s_constArray1 = [1, 1, 1, 1, 1, 0.99, 1, 0.992, 1, 1, 0.998, 0.995, 1, 0.99, 1, 1];
    private static readonly double[] s_constArray2 = [8000000, 4000000, 2000000, 1000000, 499500.4995, 248262.1648, 125000, 63004.03226, 31281.28128, 15625, 7812.5, 3906.25, 1953.125, 976.5625, 488.28125, 244.140625];

    public static (double Celsius, double TFine) Temperature(Bme680Calibration c, int adcT)
    {
        double var1 = ((adcT / 16384.0) - (c.T1 / 1024.0)) * c.T2;
        double var2 = ((adcT / 131072.0) - (c.T1 / 8192.0)) * ((adcT / 131072.0) - (c.T1 / 8192.0)) * (c.T3 * 16.0);
        double tFine = var1 + var2;
        return (tFine / 5120.0, tFine);
    }

    public static double Pressure(Bme680Calibration c, int adcP, double tFine)
    {
        double var1 = (tFine / 2.0) - 64000.0;
        double var2 = var1 * var1 * (c.P6 / 131072.0);
        var2 += var1 * c.P5 * 2.0;
        var2 = (var2 / 4.0) + (c.P4 * 65536.0);
        var1 = (((c.P3 * var1 * var1) / 16384.0) + (c.P2 * var1)) / 524288.0;
        var1 = (1.0 + (var1 / 32768.0)) * c.P1;
        double p = 1048576.0 - adcP;
        p = ((p - (var2 / 4096.0)) * 6250.0) / var1;
        var1 = (c.P9 * p * p) / 2147483648.0;
        var2 = p * (c.P8 / 32768.0);
        double var3 = (p / 256.0) * (p / 256.0) * (p / 256.0) * (c.P10 / 131072.0);
        return p + ((var1 + var2 + var3 + (c.P7 * 128.0)) / 16.0);
    }

    public static double Humidity(Bme680Calibration c, int adcH, double celsius)
    {
        double var1 = adcH - ((c.H1 * 16.0) + ((c.H3 / 2.0) * celsius));
        double var2 = var1 * ((c.H2 / 262144.0) * (1.0 + ((c.H4 / 16384.0) * celsius) + ((c.H5 / 1048576.0) * celsius * celsius)));
        double var3 = c.H6 / 16384.0;
        double var4 = c.H7 / 2097152.0;
        return Math.Clamp(var2 + ((var3 + (var4 * celsius)) * var2 * var2), 0, 100);
    }

    public static double GasResistance(Bme680Calibration c, int adcGas, int range)
    {
        double var1 = (1340.0 + 5.0 * c.RangeSwitchingError) * s_constArray1[range];
        return var1 * s_constArray2[range] / (adcGas - 512.0 + var1);
    }
}

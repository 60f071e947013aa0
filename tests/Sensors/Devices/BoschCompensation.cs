using Diode.Edge.Tests.Support.Hardware;

namespace Diode.Edge.Tests.Sensors.Devices;

/// <summary>
/// The BME280 datasheet's integer compensation code (BST-BME280-DS002 §4.2.3: BME280_compensate_T_int32,
/// BME280_compensate_P_int64, bme280_compensate_H_int32), transcribed here to check the binding independently.
/// </summary>
internal static class BoschCompensation
{
    /// <summary>Temperature in °C (resolution 0.01) and t_fine.</summary>
    public static (double Celsius, int TFine) Temperature(Bmx280Calibration c, int adcT)
    {
        int var1 = ((adcT >> 3) - (c.T1 << 1)) * c.T2 >> 11;
        int var2 = (((((adcT >> 4) - c.T1) * ((adcT >> 4) - c.T1)) >> 12) * c.T3) >> 14;
        int tFine = var1 + var2;
        int t = (tFine * 5 + 128) >> 8;
        return (t / 100.0, tFine);
    }

    /// <summary>Pressure in Pa (Q24.8 → resolution 1/256 Pa).</summary>
    public static double Pressure(Bmx280Calibration c, int adcP, int tFine)
    {
        long var1 = (long)tFine - 128000;
        long var2 = var1 * var1 * c.P6;
        var2 += (var1 * c.P5) << 17;
        var2 += (long)c.P4 << 35;
        var1 = ((var1 * var1 * c.P3) >> 8) + ((var1 * c.P2) << 12);
        var1 = ((1L << 47) + var1) * c.P1 >> 33;
        if (var1 == 0)
        {
            return 0;
        }

        long p = 1048576 - adcP;
        p = (((p << 31) - var2) * 3125) / var1;
        var1 = (c.P9 * (p >> 13) * (p >> 13)) >> 25;
        var2 = (c.P8 * p) >> 19;
        p = ((p + var1 + var2) >> 8) + ((long)c.P7 << 4);
        return p / 256.0;
    }

    /// <summary>Relative humidity in % (Q22.10 → resolution 1/1024 %).</summary>
    public static double Humidity(Bmx280Calibration c, int adcH, int tFine)
    {
        int v = tFine - 76800;
        v = ((((adcH << 14) - (c.H4 << 20) - (c.H5 * v)) + 16384) >> 15) *
            (((((((v * c.H6) >> 10) * (((v * c.H3) >> 11) + 32768)) >> 10) + 2097152) * c.H2 + 8192) >> 14);
        v -= ((((v >> 15) * (v >> 15)) >> 7) * c.H1) >> 4;
        v = Math.Clamp(v, 0, 419430400);
        return (v >> 12) / 1024.0;
    }
}

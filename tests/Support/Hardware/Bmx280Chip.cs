using System.Buffers.Binary;

namespace Diode.Edge.Tests.Support.Hardware;

/// <summary>
/// A Bosch BME280 (chip id 0x60) or BMP280 (0x58) as its datasheet describes the register map: chip id at 0xD0,
/// trimming parameters at 0x88..0xA1 and 0xE1..0xE7 (BME280), soft reset at 0xE0, ctrl_hum 0xF2 (latched by a write
/// to ctrl_meas), status 0xF3, ctrl_meas 0xF4, config 0xF5, data from 0xF7 (press, temp: 20 bits; hum: 16 bits).
/// A write of forced mode to ctrl_meas takes one measurement of <see cref="AdcTemperature"/> etc. into the data
/// registers and returns to sleep mode; a skipped measurement reads 0x80000 (0x8000 for humidity).
/// </summary>
public sealed class Bmx280Chip : RegisterMapChip
{
    private readonly bool _hasHumidity;
    private byte _latchedHumidityOversampling;

    public Bmx280Chip(byte chipId, Bmx280Calibration calibration)
    {
        ChipId = chipId;
        _hasHumidity = chipId == 0x60;
        Registers[0xD0] = chipId;
        var c = calibration;
        var t = Registers.AsSpan(0x88);
        BinaryPrimitives.WriteUInt16LittleEndian(t, c.T1);
        BinaryPrimitives.WriteInt16LittleEndian(t[2..], c.T2);
        BinaryPrimitives.WriteInt16LittleEndian(t[4..], c.T3);
        BinaryPrimitives.WriteUInt16LittleEndian(t[6..], c.P1);
        short[] p = [c.P2, c.P3, c.P4, c.P5, c.P6, c.P7, c.P8, c.P9];
        for (int i = 0; i < p.Length; i++)
        {
            BinaryPrimitives.WriteInt16LittleEndian(t[(8 + 2 * i)..], p[i]);
        }

        if (_hasHumidity)
        {
            Registers[0xA1] = c.H1;
            BinaryPrimitives.WriteInt16LittleEndian(Registers.AsSpan(0xE1), c.H2);
            Registers[0xE3] = c.H3;
            Registers[0xE4] = (byte)(c.H4 >> 4);
            Registers[0xE5] = (byte)((c.H4 & 0x0F) | ((c.H5 & 0x0F) << 4));
            Registers[0xE6] = (byte)(c.H5 >> 4);
            Registers[0xE7] = (byte)c.H6;
        }

        PowerOnReset();
    }

    public static Bmx280Chip Bme280(Bmx280Calibration calibration) => new(0x60, calibration);

    public static Bmx280Chip Bmp280(Bmx280Calibration calibration) => new(0x58, calibration);

    public byte ChipId { get; }

    /// <summary>The raw 20-bit temperature the next measurement yields.</summary>
    public int AdcTemperature { get; set; } = 519888;

    /// <summary>The raw 20-bit pressure the next measurement yields.</summary>
    public int AdcPressure { get; set; } = 415148;

    /// <summary>The raw 16-bit humidity the next measurement yields (BME280).</summary>
    public int AdcHumidity { get; set; } = 30000;

    public int Measurements { get; private set; }

    protected override bool IsWritable(byte address) =>
        address is 0xE0 or 0xF4 or 0xF5 || (address == 0xF2 && _hasHumidity);

    protected override void OnRegisterWritten(byte address, byte value)
    {
        if (address == 0xE0 && value == 0xB6)
        {
            PowerOnReset();
        }
        else if (address == 0xF4)
        {
            _latchedHumidityOversampling = (byte)(Registers[0xF2] & 0x07);
            if ((value & 0x03) is 0x01 or 0x02)
            {
                Measure(value);
                Registers[0xF4] = (byte)(value & 0xFC);
            }
        }
    }

    private void Measure(byte ctrlMeas)
    {
        Measurements++;
        int temperature = (ctrlMeas >> 5) == 0 ? 0x80000 : AdcTemperature;
        int pressure = ((ctrlMeas >> 2) & 0x07) == 0 ? 0x80000 : AdcPressure;
        WriteAdc20(0xF7, pressure);
        WriteAdc20(0xFA, temperature);
        if (_hasHumidity)
        {
            BinaryPrimitives.WriteUInt16BigEndian(Registers.AsSpan(0xFD), (ushort)(_latchedHumidityOversampling == 0 ? 0x8000 : AdcHumidity));
        }
    }


    private void PowerOnReset()
    {
        Registers[0xF2] = 0;
        Registers[0xF3] = 0;
        Registers[0xF4] = 0;
        Registers[0xF5] = 0;
        _latchedHumidityOversampling = 0;
        WriteAdc20(0xF7, 0x80000);
        WriteAdc20(0xFA, 0x80000);
        if (_hasHumidity)
        {
            Registers[0xFD] = 0x80;
            Registers[0xFE] = 0x00;
        }
    }
}

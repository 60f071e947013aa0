using System.Buffers.Binary;

namespace Diode.Edge.Tests.Support.Hardware;

/// <summary>
/// A Bosch BME680 (chip id 0x61) as its datasheet describes the register map: calibration in 0x8A..0xA0 and
/// 0xE1..0xEE plus res_heat_val/range (0x00, 0x02) and range_switching_error (0x04); heater set points res_heat_x
/// (0x5A..) and gas_wait_x (0x64..), ctrl_gas_0/1 (0x70, 0x71: heat_off, run_gas, nb_conv), ctrl_hum 0x72,
/// ctrl_meas 0x74, config 0x75, soft reset 0xE0; field 0 data from 0x1D (meas_status_0 with new_data), press 0x1F,
/// temp 0x22 (20 bits), hum 0x25 (16 bits), gas_r 0x2A/0x2B (10 bits, gas_valid, heat_stab, gas_range). Forced mode
/// takes one measurement (with a gas conversion when run_gas is set and the heater is on) and returns to sleep.
/// </summary>
public sealed class Bme680Chip : RegisterMapChip
{
    public Bme680Chip(Bme680Calibration c)
    {
        ArgumentNullException.ThrowIfNull(c);
        Registers[0xD0] = 0x61;
        BinaryPrimitives.WriteUInt16LittleEndian(Registers.AsSpan(0xE9), c.T1);
        BinaryPrimitives.WriteInt16LittleEndian(Registers.AsSpan(0x8A), c.T2);
        Registers[0x8C] = (byte)c.T3;
        BinaryPrimitives.WriteUInt16LittleEndian(Registers.AsSpan(0x8E), c.P1);
        BinaryPrimitives.WriteInt16LittleEndian(Registers.AsSpan(0x90), c.P2);
        Registers[0x92] = (byte)c.P3;
        BinaryPrimitives.WriteInt16LittleEndian(Registers.AsSpan(0x94), c.P4);
        BinaryPrimitives.WriteInt16LittleEndian(Registers.AsSpan(0x96), c.P5);
        Registers[0x99] = (byte)c.P6;
        Registers[0x98] = (byte)c.P7;
        BinaryPrimitives.WriteInt16LittleEndian(Registers.AsSpan(0x9C), c.P8);
        BinaryPrimitives.WriteInt16LittleEndian(Registers.AsSpan(0x9E), c.P9);
        Registers[0xA0] = c.P10;
        Registers[0xE3] = (byte)(c.H1 >> 4);
        Registers[0xE2] = (byte)((c.H1 & 0x0F) | ((c.H2 & 0x0F) << 4));
        Registers[0xE1] = (byte)(c.H2 >> 4);
        Registers[0xE4] = (byte)c.H3;
        Registers[0xE5] = (byte)c.H4;
        Registers[0xE6] = (byte)c.H5;
        Registers[0xE7] = c.H6;
        Registers[0xE8] = (byte)c.H7;
        Registers[0xED] = (byte)c.G1;
        BinaryPrimitives.WriteInt16LittleEndian(Registers.AsSpan(0xEB), c.G2);
        Registers[0xEE] = (byte)c.G3;
        Registers[0x00] = (byte)c.ResHeatVal;
        Registers[0x02] = (byte)(c.ResHeatRange << 4);
        Registers[0x04] = (byte)(c.RangeSwitchingError << 4);
    }

    public int AdcTemperature { get; set; } = 480000;

    public int AdcPressure { get; set; } = 380000;

    public int AdcHumidity { get; set; } = 24000;

    public int AdcGas { get; set; } = 600;

    public int GasRange { get; set; } = 5;

    public int Measurements { get; private set; }

    protected override bool IsWritable(byte address) => address is (>= 0x5A and <= 0x6D) or (>= 0x70 and <= 0x75) or 0xE0;

    protected override void OnRegisterWritten(byte address, byte value)
    {
        if (address == 0xE0 && value == 0xB6)
        {
            Registers.AsSpan(0x70, 6).Clear();
        }
        else if (address == 0x74 && (value & 0x03) == 0x01)
        {
            Measure(value);
            Registers[0x74] = (byte)(value & 0xFC);
        }
    }

    private void Measure(byte ctrlMeas)
    {
        Measurements++;
        WriteAdc20(0x1F, ((ctrlMeas >> 2) & 0x07) == 0 ? 0x80000 : AdcPressure);
        WriteAdc20(0x22, (ctrlMeas >> 5) == 0 ? 0x80000 : AdcTemperature);
        BinaryPrimitives.WriteUInt16BigEndian(Registers.AsSpan(0x25), (ushort)((Registers[0x72] & 0x07) == 0 ? 0x8000 : AdcHumidity));
        int profile = Registers[0x71] & 0x0F;
        bool runGas = (Registers[0x71] & 0x10) != 0 && (Registers[0x70] & 0x08) == 0;
        bool heaterSet = Registers[0x5A + profile] != 0 && Registers[0x64 + profile] != 0;
        Registers[0x2A] = (byte)(AdcGas >> 2);
        Registers[0x2B] = (byte)(((AdcGas & 0x03) << 6) | (runGas ? 0x20 : 0) | (runGas && heaterSet ? 0x10 : 0) | (GasRange & 0x0F));
        Registers[0x1D] = (byte)(0x80 | profile);
    }
}

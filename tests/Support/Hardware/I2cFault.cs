namespace Diode.Edge.Tests.Support.Hardware;

/// <summary>A fault an emulated I2C chip can be given, as a Linux I2C adapter would report it.</summary>
public enum I2cFault
{
    None,

    /// <summary>Every other transfer fails with EREMOTEIO ("Remote I/O error", no ACK), the Pi's most common I2C complaint.</summary>
    RemoteIoEveryOther,

    /// <summary>The bus hangs: a transfer blocks for <see cref="EmulatedI2cChip.StuckTime"/>, then fails with ETIMEDOUT.</summary>
    Stuck,

    /// <summary>Data arrives corrupted (a CRC-protected chip's check fails).</summary>
    Corrupt,
}

using System.Device.I2c;

namespace Diode.Edge.Sensors.Scan;

/// <summary>
/// How <see cref="I2cScanner"/> recognises a type: the addresses the chip can have, and either a chip-id register and the
/// values it holds for this type (types sharing a register and addresses are told apart by one read), or a probe of its own.
/// </summary>
internal sealed class I2cSignature
{
    private I2cSignature(IReadOnlyList<int> addresses, byte? chipIdRegister, IReadOnlyList<byte> chipIds, Func<I2cDevice, I2cIdentification>? probe)
    {
        Addresses = addresses;
        ChipIdRegister = chipIdRegister;
        ChipIds = chipIds;
        Probe = probe;
    }

    /// <summary>The addresses the chip can have, in the order they are scanned.</summary>
    public IReadOnlyList<int> Addresses { get; }

    /// <summary>The register holding the chip id; null for a <see cref="Probe"/> signature.</summary>
    public byte? ChipIdRegister { get; }

    /// <summary>The chip-id values that mean this type.</summary>
    public IReadOnlyList<byte> ChipIds { get; }

    /// <summary>Asks the chip at one address whether it is this type (may throw <see cref="IOException"/>: nothing there); null for a chip-id signature.</summary>
    public Func<I2cDevice, I2cIdentification>? Probe { get; }

    /// <summary>Recognised by the value of a chip-id register.</summary>
    public static I2cSignature ChipId(IReadOnlyList<int> addresses, byte register, params IReadOnlyList<byte> ids) => new(addresses, register, ids, null);

    /// <summary>Recognised by a probe of its own (no id register, or another kind of answer).</summary>
    public static I2cSignature Probed(IReadOnlyList<int> addresses, Func<I2cDevice, I2cIdentification> probe) => new(addresses, null, [], probe);
}

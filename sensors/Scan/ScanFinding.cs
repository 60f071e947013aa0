namespace Diode.Edge.Sensors.Scan;

/// <summary>A chip found on an I2C bus: its type, where, and how sure the scan is.</summary>
/// <param name="Type">The sensor type as written in config.json, or null for a chip that answers but is not one this agent reads.</param>
/// <param name="Evidence">What identified it, e.g. "chip id 0xD0 = 0x60".</param>
/// <param name="Guess">True when only the address suggests the type (the chip has no id register).</param>
public sealed record ScanFinding(int Bus, int Address, string? Type, string Evidence, bool Guess);

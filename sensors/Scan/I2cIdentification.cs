namespace Diode.Edge.Sensors.Scan;

/// <summary>What a chip answered to an <see cref="I2cSignature.Probe"/>: whether it is the type probed for, and why the scan thinks so.</summary>
/// <param name="Recognised">False for a chip that answers but is not this type.</param>
/// <param name="Evidence">What identified it (or did not), as <c>sensors scan</c> prints it.</param>
/// <param name="Guess">True when only the address suggests the type.</param>
internal readonly record struct I2cIdentification(bool Recognised, string Evidence, bool Guess);

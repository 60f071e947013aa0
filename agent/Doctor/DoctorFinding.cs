namespace Diode.Edge.Agent.Doctor;

/// <summary>One check's result: what was found and, when it is not ok, the command or change that fixes it.</summary>
internal sealed record DoctorFinding(string Check, DoctorStatus Status, string Detail, string? Fix = null);

namespace Diode.Edge.Agent.Doctor;

/// <summary>How a check came out: <c>ok</c>, <c>warn</c> (works, but worth fixing), <c>fail</c> (the agent cannot do its job).</summary>
internal enum DoctorStatus
{
    Ok,
    Warn,
    Fail,
}

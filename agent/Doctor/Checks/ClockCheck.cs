namespace Diode.Edge.Agent.Doctor.Checks;

/// <summary><c>clock</c>: whether systemd-timesyncd has synchronised the clock (a warning at worst).</summary>
internal sealed class ClockCheck : IDoctorCheck
{
    public string Name => "clock";

    public ValueTask<DoctorFinding> RunAsync(DoctorContext context, CancellationToken cancellationToken) => ValueTask.FromResult(Check(context));

    public DoctorFinding Check(DoctorContext context)
    {
        ArgumentNullException.ThrowIfNull(context);

        // systemd-timesyncd creates this file once it has synchronised the clock.
        if (File.Exists(context.Path("/run/systemd/timesync/synchronized")))
        {
            return new(Name, DoctorStatus.Ok, "the clock is synchronised (systemd-timesyncd)");
        }

        return new(Name, DoctorStatus.Warn, "the clock is not known to be synchronised: frame timestamps may be wrong (a Pi has no battery-backed clock)",
            "sudo timedatectl set-ntp true, and let the Pi reach an NTP server (UDP 123); check with: timedatectl timesync-status");
    }
}

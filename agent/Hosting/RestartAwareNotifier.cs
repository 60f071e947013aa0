using Microsoft.Extensions.Hosting.Systemd;

namespace Diode.Edge.Agent.Hosting;

/// <summary>
/// sd_notify that tells systemd the truth when the host stops only to start again in the same process (a deployment
/// applied or rolled back, <see cref="AgentRestart"/>): RELOADING=1 instead of STOPPING=1, which would leave the unit
/// deactivating; the next host's READY=1 ends the reload.
/// </summary>
internal sealed class RestartAwareNotifier(AgentRestart restart, ISystemdNotifier inner) : ISystemdNotifier
{
    private static readonly ServiceState Reloading = new("RELOADING=1");

    public bool IsEnabled => inner.IsEnabled;

    public void Notify(ServiceState state)
    {
        inner.Notify(restart.Reason is not null && state.ToString() == ServiceState.Stopping.ToString() ? Reloading : state);
    }
}

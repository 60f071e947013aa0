using Microsoft.Extensions.Hosting;

namespace Diode.Edge.Agent.Hosting;

/// <summary>
/// A request to stop the host and start it again in the same process with the configuration reloaded (a deployment
/// applied or rolled back): <c>diode-edge run</c> sees it after the host stopped. Same PID, no systemd restart.
/// </summary>
internal sealed class AgentRestart
{
    private string? _reason;

    /// <summary>Why the host stops to start again; null when it is not to.</summary>
    public string? Reason => Volatile.Read(ref _reason);

    public void Request(string reason, IHostApplicationLifetime lifetime)
    {
        ArgumentNullException.ThrowIfNull(lifetime);
        Volatile.Write(ref _reason, reason);
        lifetime.StopApplication();
    }

    public void Clear() => Volatile.Write(ref _reason, null);
}

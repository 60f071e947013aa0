using Diode.Edge.Agent.Configuration;

namespace Diode.Edge.Agent.Doctor;

/// <summary>
/// What the checks look at: the filesystem under <see cref="Root"/> (<c>/</c> on a Pi; a scratch tree in tests, with
/// its own etc/group, dev, proc, boot/firmware/config.txt and run) and the agent's config, when it loaded.
/// </summary>
internal sealed record DoctorContext(string Root, AgentOptions? Options, string ServiceUser = "diode-edge")
{
    /// <summary>An absolute path of the target system, under <see cref="Root"/>.</summary>
    public string Path(string absolute) => Root == "/" ? absolute : System.IO.Path.Join(Root, absolute);
}

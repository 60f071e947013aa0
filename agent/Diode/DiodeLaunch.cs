namespace Diode.Edge.Agent.Diode;

/// <summary>What one start of <c>diode publish</c> needs beyond the configuration: the agent's published port, its config API address, and the flags the supervisor chose for this start.</summary>
internal sealed record DiodeLaunch(int ConsumerPort, string? ApiAddress, bool FleetFlag, bool BlockQuickDowngrade, string? DbPath = null)
{
    /// <summary>
    /// The consumer port the agent really listens on, from the server's <paramref name="addresses"/>: the configured
    /// one when it is bound, the last address's port when <paramref name="configured"/> is 0 (a free port; the consumer
    /// endpoint is bound after the loopback one), else null.
    /// </summary>
    public static int? BoundConsumerPort(ICollection<string> addresses, int configured)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        foreach (string address in addresses)
        {
            var uri = new Uri(address);
            if (configured != 0 && uri.Port == configured)
            {
                return uri.Port;
            }
        }

        return addresses.Count > 1 && configured == 0 ? new Uri(addresses.Last()).Port : null;
    }
}

using Diode.Edge.Agent.Configuration;

namespace Diode.Edge.Agent.Diode;

/// <summary>
/// When a running client must be restarted (pure; unit-tested). Only when the device is really unreachable, and only
/// for as long as <c>diode.revalidateTimeout</c>:
/// <list type="bullet">
/// <item>it never validated the chain since it started (offline: every relay failed; otherwise a stale BlockQuick window);</item>
/// <item>its whole relay pool stayed down (one relay that drops is replaced by the pool and restarts nothing);</item>
/// <item>it said <c>Port was not published</c> and nothing vouched for the route since;</item>
/// <item>its config API stopped answering (a hung client prints nothing, and neither does a healthy one, so silence alone proves nothing).</item>
/// </list>
/// An end-to-end probe through the network is not possible: the relays refuse a device that dials itself
/// ("can't connect to yourself"), so the proof that the route works is a consumer the client forwarded (docs/diode-client.md).
/// </summary>
internal static class DiodeLivenessPolicy
{
    public static (DiodeRunEnd End, string Reason)? Decide(DiodeRunObserver run, DiodeApiState api, DiodeOptions options, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(options);
        var window = options.RevalidateTimeout;
        string limit = Duration.Format(window);
        if (run.ValidatedAt is null)
        {
            if (now - run.StartedAt <= window)
            {
                return null;
            }

            return run.Offline
                ? (DiodeRunEnd.Offline, $"offline: no Diode relay reachable for {limit} ({run.Relays.Count} tried)")
                : (DiodeRunEnd.NotValidated, $"the network was not validated within {limit}" + (run.StaleBlockQuick ? " (stale BlockQuick window)" : " (no relay failed: a stale BlockQuick window)"));
        }

        if (api.FailingSince is { } silent && now - silent > window && (api.AnsweredAt is null || api.AnsweredAt < silent))
        {
            return (DiodeRunEnd.Unresponsive, $"its config API has not answered for {limit} (the client hangs)");
        }

        if (run.AllRelaysDownSince(now) is { } down && now - down > window)
        {
            return (DiodeRunEnd.Unreachable, $"no relay connected for {limit} ({run.RelaysDown(now)} of {run.PoolSize} lost or failing)");
        }

        if (run.PortNotPublishedAt is { } unpublished && now - unpublished > window)
        {
            return (DiodeRunEnd.Unreachable, $"\"Port was not published\" and no consumer reached the device for {limit}");
        }

        return null;
    }
}

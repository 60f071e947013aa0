using Diode.Edge.Tests.Support;


namespace Diode.Edge.Tests.DiodeClient;

/// <summary>
/// A flag the client refuses (it prints its usage and exits 0): a configuration error, not a restart storm. Its own
/// class, outside the timing-sensitive collection, so its minute of counting runs beside the other tests.
/// </summary>
[Trait("Tier", Tiers.Integration)]
public sealed class DiodeMisconfigurationTests
{
    [Fact]
    public async Task A_flag_the_client_refuses_is_a_configuration_error_with_one_start_in_a_minute()
    {
        await using var agent = await DiodeAgentProcess.StartAsync(", \"extraArgs\": [\"-nosuchflag\"]");

        var diode = await agent.WaitForDiodeAsync(d => DiodeAgentProcess.Text(d, "state") == "misconfigured");
        await Task.Delay(TimeSpan.FromSeconds(60));

        Assert.Single(agent.PublishStarts);
        diode = await agent.DiodeHealthAsync();
        Assert.Equal("unhealthy", DiodeAgentProcess.Text(diode, "status"));
        Assert.Contains("refused its command line", DiodeAgentProcess.Text(diode, "detail"), StringComparison.Ordinal);
        Assert.Contains("misconfigured 1", DiodeAgentProcess.Text(diode, "restartsBy"), StringComparison.Ordinal);
        Assert.Contains(agent.Lines, l => l.Contains("flag provided but not defined: -nosuchflag", StringComparison.Ordinal));
    }
}

using Diode.Edge.Tests.Support;

namespace Diode.Edge.Tests.Dashboard;

/// <summary>The verifier the dashboard runs in the browser (agent/Dashboard/web/src/verify.js), checked in node.</summary>
[Trait("Tier", Tiers.Integration)]
public sealed class DashboardVerifierTests
{
    [Fact]
    public async Task The_browser_verifier_agrees_with_the_golden_vectors_and_ethers_and_refuses_every_tampering()
    {
        var result = await NodeVerifier.RunScriptAsync("verify-dashboard.mjs", string.Empty, [GoldenVectorFile.FilePath]);
        Assert.True(result.GetProperty("ok").GetBoolean(), result.ToString());
        Assert.True(result.GetProperty("checked").GetInt32() >= 70, result.ToString());
    }
}

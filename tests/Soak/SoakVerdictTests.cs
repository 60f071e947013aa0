using Diode.Edge.Tests.Support;

namespace Diode.Edge.Tests.Soak;

/// <summary>The soak's growth rules on known series: what is a leak, what is a first use, what comes and goes.</summary>
[Trait("Tier", Tiers.Unit)]
public sealed class SoakVerdictTests
{
    [Fact]
    public void A_type_that_rises_census_after_census_grows_and_one_that_falls_back_does_not()
    {
        var verdict = Verdict(
            ("Diode.Edge.Agent.Streams.Subscription", [100, 130, 160, 190, 220]),
            ("System.Byte[]", [400, 480, 420, 500, 430]),
            ("System.String", [5000, 5000, 5001, 5001, 5002]));

        Assert.Equal(["Diode.Edge.Agent.Streams.Subscription: 100 → 130 → 160 → 190 → 220 (+1200 per hour)"], verdict.GrowingTypes);
        Assert.Empty(verdict.GrownReflectionCaches);
    }

    [Fact]
    public void Reflection_objects_made_on_a_first_use_are_reported_as_a_filled_cache_not_as_a_leak()
    {
        // The CI run's figures: flat for three intervals, then one step when something first reflected over 40 members.
        var verdict = Verdict(
            ("System.Reflection.RuntimeMethodInfo", [539, 539, 539, 539, 579]),
            ("System.RuntimeType", [900, 900, 910, 930, 945]),
            ("System.Reflection.Metadata.MetadataReader", [0, 0, 0, 0, 1]));

        Assert.Empty(verdict.GrowingTypes);
        Assert.Equal(2, verdict.GrownReflectionCaches.Count);
        Assert.Contains(verdict.GrownReflectionCaches, t => t.StartsWith("System.Reflection.RuntimeMethodInfo: 539 → 539 → 539 → 539 → 579", StringComparison.Ordinal));
        Assert.Contains("reflection cache filled", verdict.Describe(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("System.Reflection.RuntimeMethodInfo", true)]
    [InlineData("System.Reflection.Metadata.MetadataReader", true)]
    [InlineData("System.RuntimeType", true)]
    [InlineData("System.RuntimeType+RuntimeTypeCache", true)]
    [InlineData("System.RuntimeTypeHandle", false)]
    [InlineData("System.ReflectionLike", false)]
    [InlineData("Diode.Edge.Agent.Reflection.Thing", false)]
    public void Only_the_runtimes_reflection_types_count_as_its_cache(string type, bool cache) =>
        Assert.Equal(cache, SoakVerdict.IsReflectionCache(type));

    [Fact]
    public void The_heap_rule_still_judges_what_reflection_adds()
    {
        var verdict = Verdict(("System.Reflection.RuntimeMethodInfo", [1000, 2000, 3000, 4000, 5000]));
        Assert.Empty(verdict.GrowingTypes);
        Assert.True(verdict.HeapGrew);
    }

    private static SoakVerdict Verdict(params (string Type, long[] Counts)[] series)
    {
        var samples = Enumerable.Range(0, series[0].Counts.Length).Select(i => new SoakSample(
            TimeSpan.FromMinutes(3 + 1.5 * i),
            HeapCensus.Of(series.ToDictionary(s => s.Type, s => (s.Counts[i], s.Counts[i] * 100), StringComparer.Ordinal)),
            new ProcessGauges(100, 20, 100 << 20))).ToList();
        return SoakVerdict.Of("known series", samples);
    }
}

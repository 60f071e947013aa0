using System.Reflection;
using Diode.Edge.Tests.Support;

namespace Diode.Edge.Tests.Suite;

/// <summary>
/// Every test class carries exactly one <c>Tier</c> trait of a known tier, so that <c>--filter Tier=…</c> (and
/// <c>./test.sh &lt;tier&gt;</c>) runs each test in exactly one tier and none is left out of all of them.
/// </summary>
[Trait("Tier", Tiers.Unit)]
public sealed class TierTraitTests
{
    [Fact]
    public void Every_test_class_has_exactly_one_known_tier()
    {
        var classes = typeof(TierTraitTests).Assembly.GetTypes()
            .Where(t => t.IsClass && t.GetMethods(BindingFlags.Instance | BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic)
                .Any(m => m.IsDefined(typeof(FactAttribute), inherit: true)))
            .ToList();
        Assert.True(classes.Count > 50, $"only {classes.Count} test classes found");

        var wrong = new List<string>();
        foreach (var type in classes.OrderBy(t => t.FullName, StringComparer.Ordinal))
        {
            var tiers = TiersOf(type);
            if (tiers.Count != 1)
            {
                wrong.Add($"{type.FullName}: {tiers.Count} Tier traits{(tiers.Count > 0 ? " (" + string.Join(", ", tiers) + ")" : string.Empty)}");
            }
            else if (!Tiers.All.Contains(tiers[0]))
            {
                wrong.Add($"{type.FullName}: unknown tier \"{tiers[0]}\" (one of {string.Join(", ", Tiers.All)})");
            }
        }

        Assert.True(wrong.Count == 0, $"each test class needs exactly one [Trait(\"Tier\", Tiers.…)] ({string.Join(", ", Tiers.All)}):\n{string.Join('\n', wrong)}");
    }

    [Fact]
    public void A_tier_on_a_method_is_not_allowed_either()
    {
        // xunit merges method traits with the class's: a method's own Tier would put it in two tiers.
        var methods = typeof(TierTraitTests).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Instance | BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            .Where(m => m.GetCustomAttributesData().Any(IsTier))
            .Select(m => $"{m.DeclaringType!.FullName}.{m.Name}")
            .ToList();

        Assert.True(methods.Count == 0, "Tier traits belong on the class, not on these methods:\n" + string.Join('\n', methods));
    }

    private static List<string> TiersOf(Type type) =>
        [.. type.GetCustomAttributesData().Where(IsTier).Select(a => (string)a.ConstructorArguments[1].Value!)];

    private static bool IsTier(CustomAttributeData attribute) =>
        attribute.AttributeType == typeof(TraitAttribute) && (string?)attribute.ConstructorArguments[0].Value == Tiers.Name;
}

using System.Reflection;
using System.Text.Json.Serialization;
using Diode.Edge.Agent;
using Diode.Edge.Agent.Configuration;
using Diode.Edge.Tests.Support;

namespace Diode.Edge.Tests.Configuration;

/// <summary>The source-generated JSON context lists one lower-case converter per enum (Native AOT forbids the factory
/// that made them at run time): an enum added to the options without its converter would be written as a number.</summary>
[Trait("Tier", Tiers.Unit)]
public sealed class AgentJsonContextTests
{
    [Fact]
    public void Every_enum_of_the_options_has_its_lower_case_converter()
    {
        var listed = typeof(AgentJsonContext).GetCustomAttribute<JsonSourceGenerationOptionsAttribute>()!.Converters!
            .Where(c => c.IsGenericType && c.GetGenericTypeDefinition() == typeof(LowerCaseEnumConverter<>))
            .Select(c => c.GetGenericArguments()[0])
            .ToHashSet();

        var enums = EnumsReachableFrom(typeof(AgentOptions));

        Assert.NotEmpty(enums);
        Assert.All(enums, e => Assert.True(listed.Contains(e), $"{e.FullName} is in the options but AgentJsonContext has no LowerCaseEnumConverter<{e.Name}>"));
    }

    [Fact]
    public void Options_enums_are_written_in_lower_case()
    {
        string json = System.Text.Json.JsonSerializer.Serialize(new AgentOptions(), AgentJsonContext.Default.AgentOptions);

        Assert.Contains("\"mode\":\"protected\"", json, StringComparison.Ordinal);
        Assert.DoesNotMatch("\"(mode|level|pull|policy|slowConsumer)\":[0-9]", json);
    }

    private static HashSet<Type> EnumsReachableFrom(Type root)
    {
        var enums = new HashSet<Type>();
        var seen = new HashSet<Type>();
        var pending = new Stack<Type>([root]);
        while (pending.TryPop(out var type))
        {
            type = Nullable.GetUnderlyingType(type) ?? type;
            if (!seen.Add(type)) continue;
            if (type.IsEnum) { enums.Add(type); continue; }
            if (type.IsArray) { pending.Push(type.GetElementType()!); continue; }
            if (type.IsGenericType) foreach (var argument in type.GetGenericArguments()) pending.Push(argument);
            if (type.Namespace?.StartsWith("Diode.Edge", StringComparison.Ordinal) != true) continue;
            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance)) pending.Push(property.PropertyType);
        }
        return enums;
    }
}

using System.CommandLine;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Diode.Edge.Agent.Cli;
using Diode.Edge.Agent.Configuration;
using Diode.Edge.Tests.Support;

namespace Diode.Edge.Tests.Configuration;

/// <summary>
/// docs/config.schema.json and docs/configuration-reference.md are generated from the options types: they must be what
/// the code generates now (an option added, renamed or re-described without regenerating them fails here), every key
/// must say what it is, and the shipped configs must use only keys the schema knows.
/// </summary>
[Trait("Tier", "Unit")]
public sealed class ConfigSchemaDocsTests
{
    private const string UpdateVariable = "DIODE_EDGE_UPDATE_DOCS";

    private static readonly string SchemaPath = Path.Combine(RepoRoot.Path, "docs", "config.schema.json");
    private static readonly string ReferencePath = Path.Combine(RepoRoot.Path, "docs", "configuration-reference.md");

    [Fact]
    public void The_committed_schema_and_reference_page_are_what_the_options_generate()
    {
        var schema = ConfigSchema.Generate();
        var expected = new (string Path, string Text)[]
        {
            (SchemaPath, ConfigSchema.Write(schema)),
            (ReferencePath, ConfigurationReference.Render(schema)),
        };

        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            foreach (var (path, text) in expected)
            {
                File.WriteAllBytes(path, Encoding.UTF8.GetBytes(text));
            }

            return;
        }

        var stale = expected
            .Where(e => !File.Exists(e.Path) || !File.ReadAllBytes(e.Path).AsSpan().SequenceEqual(Encoding.UTF8.GetBytes(e.Text)))
            .Select(e => Path.GetRelativePath(RepoRoot.Path, e.Path))
            .ToList();
        Assert.True(
            stale.Count == 0,
            $"{string.Join(" and ", stale)} {(stale.Count == 1 ? "is" : "are")} not what the options types generate. Regenerate with " +
            $"{UpdateVariable}=1 dotnet test tests --filter \"FullyQualifiedName~{nameof(ConfigSchemaDocsTests)}\", then review and commit the diff.");
    }

    [Fact]
    public void Every_key_of_the_schema_has_a_description()
    {
        var missing = new List<string>();
        Walk(ConfigSchema.Generate(), string.Empty, (path, property) =>
        {
            if (string.IsNullOrWhiteSpace(property["description"]?.GetValue<string>()))
            {
                missing.Add(path);
            }
        });

        Assert.True(missing.Count == 0, "no [Description] on: " + string.Join(", ", missing));
    }

    [Fact]
    public void The_schema_knows_the_options_and_how_the_config_writes_them()
    {
        var schema = ConfigSchema.Generate();

        Assert.Equal(ConfigSchema.SchemaDialect, schema["$schema"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(schema["title"]?.GetValue<string>()));
        var mqtt = schema["properties"]!["mqtt"]!["properties"]!;
        Assert.Equal(ConfigSchema.DurationPattern, mqtt["reconnectMinDelay"]!["pattern"]!.GetValue<string>());
        Assert.Equal("1s", mqtt["reconnectMinDelay"]!["default"]!.GetValue<string>());
        Assert.Equal("512MB", schema["properties"]!["store"]!["properties"]!["maxSize"]!["default"]!.GetValue<string>());
        Assert.Equal(ConfigSchema.SizePattern, schema["properties"]!["watchdog"]!["properties"]!["checks"]!["properties"]!["minFreeMemory"]!["pattern"]!.GetValue<string>());
        var slowConsumer = schema["properties"]!["hub"]!["properties"]!["slowConsumer"]!;
        Assert.Contains("dropOldest", slowConsumer["enum"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.Equal("dropOldest", slowConsumer["default"]!.GetValue<string>());
        var sensor = schema["properties"]!["sensors"]!["items"]!["properties"]!;
        Assert.Equal("5s", sensor["interval"]!["default"]!.GetValue<string>());
        Assert.Equal("up", sensor["pull"]!["default"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("250ms", true)]
    [InlineData("5s", true)]
    [InlineData("1h30m", true)]
    [InlineData("1.5m", true)]
    [InlineData(" 7d ", true)]
    [InlineData("00:00:05", true)]
    [InlineData("1.02:03:04.5", true)]
    [InlineData("5", false)]
    [InlineData("5 s", false)]
    [InlineData("5S", false)]
    [InlineData("5sec", false)]
    [InlineData("-5s", false)]
    [InlineData("5 parsecs", false)]
    [InlineData("", false)]
    public void The_duration_pattern_accepts_what_the_duration_parser_accepts(string text, bool valid)
    {
        Assert.Equal(valid, Duration.TryParse(text, out _));
        Assert.Equal(valid, Regex.IsMatch(text, ConfigSchema.DurationPattern));
    }

    [Theory]
    [InlineData("1048576", true)]
    [InlineData("512K", true)]
    [InlineData("64MB", true)]
    [InlineData("2GiB", true)]
    [InlineData("1.5 gb", true)]
    [InlineData("100B", true)]
    [InlineData("1TB", true)]
    [InlineData("64 MBs", false)]
    [InlineData("64PB", false)]
    [InlineData("-1MB", false)]
    [InlineData("MB", false)]
    [InlineData("", false)]
    public void The_size_pattern_accepts_what_the_size_parser_accepts(string text, bool valid)
    {
        Assert.Equal(valid, ByteSize.TryParse(text, out _));
        Assert.Equal(valid, Regex.IsMatch(text, ConfigSchema.SizePattern));
    }

    [Theory]
    [InlineData("packaging/config.json")]
    [InlineData("agent/config.dev.json")]
    public void A_shipped_config_uses_only_keys_and_values_the_schema_allows(string file)
    {
        var options = new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(RepoRoot.Path, file)), documentOptions: options)!;
        var problems = new List<string>();

        Check(config, ConfigSchema.Generate(), string.Empty, problems);

        Assert.True(problems.Count == 0, $"{file}: " + string.Join("; ", problems));
    }

    [Fact]
    public void Config_schema_prints_the_schema_and_exits_0()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        int code = CliApp.Build().Parse(["config", "schema"]).Invoke(new InvocationConfiguration { Output = output, Error = error });

        Assert.Equal(0, code);
        Assert.Equal(string.Empty, error.ToString());
        Assert.Equal(ConfigSchema.Write(ConfigSchema.Generate()), output.ToString());
        Assert.Equal(ConfigSchema.SchemaDialect, JsonNode.Parse(output.ToString())!["$schema"]!.GetValue<string>());
    }

    /// <summary>Calls <paramref name="visit"/> with every property schema below <paramref name="schema"/>, by its key path.</summary>
    private static void Walk(JsonNode schema, string path, Action<string, JsonObject> visit)
    {
        if (schema["properties"] is JsonObject properties)
        {
            foreach (var (key, value) in properties)
            {
                string child = path.Length == 0 ? key : path + "." + key;
                visit(child, value!.AsObject());
                Walk(value, child, visit);
            }
        }

        if (schema["items"] is JsonObject items)
        {
            Walk(items, path + "[]", visit);
        }

        if (schema["additionalProperties"] is JsonObject values)
        {
            Walk(values, path + ".<name>", visit);
        }
    }

    /// <summary>A small validator, enough for the shipped configs: known keys, JSON types, enums and patterns.</summary>
    private static void Check(JsonNode? value, JsonNode schema, string path, List<string> problems)
    {
        var types = schema["type"] switch
        {
            JsonArray array => array.Select(t => t!.GetValue<string>()).ToList(),
            JsonValue single => [single.GetValue<string>()],
            _ => [],
        };
        string kind = value switch
        {
            null => "null",
            JsonObject => "object",
            JsonArray => "array",
            _ => value.GetValueKind() switch
            {
                JsonValueKind.String => "string",
                JsonValueKind.True or JsonValueKind.False => "boolean",
                _ => value.GetValue<JsonElement>().TryGetInt64(out _) ? "integer" : "number",
            },
        };
        if (types.Count > 0 && !types.Contains(kind) && !(kind == "integer" && types.Contains("number")))
        {
            problems.Add($"{path}: {kind} is not {string.Join(" or ", types)}");
            return;
        }

        switch (value)
        {
            case JsonObject obj:
                foreach (var (key, child) in obj)
                {
                    string childPath = path.Length == 0 ? key : path + "." + key;
                    if (schema["properties"]?[key] is { } property)
                    {
                        Check(child, property, childPath, problems);
                    }
                    else if (schema["additionalProperties"] is JsonObject values)
                    {
                        Check(child, values, childPath, problems);
                    }
                    else
                    {
                        problems.Add($"{childPath}: not a key of the schema");
                    }
                }

                break;
            case JsonArray array:
                for (int i = 0; i < array.Count; i++)
                {
                    Check(array[i], schema["items"]!, $"{path}[{i}]", problems);
                }

                break;
            case JsonValue when kind == "string":
                string text = value.GetValue<string>();
                if (schema["enum"] is JsonArray allowed && !allowed.Any(a => a!.GetValue<string>() == text))
                {
                    problems.Add($"{path}: \"{text}\" is not one of the schema's values");
                }

                if (schema["pattern"]?.GetValue<string>() is { } pattern && !Regex.IsMatch(text, pattern))
                {
                    problems.Add($"{path}: \"{text}\" does not match {pattern}");
                }

                break;
        }
    }
}

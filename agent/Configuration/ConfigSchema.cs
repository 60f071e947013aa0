using System.ComponentModel;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using System.Text.Json.Serialization.Metadata;
using Diode.Edge.Sensors.Reporting;
using Diode.Edge.Watchdog;

namespace Diode.Edge.Agent.Configuration;

/// <summary>
/// The JSON schema of config.json (<c>diode-edge config schema</c>, docs/config.schema.json), exported from the
/// source-generated metadata of <see cref="AgentOptions"/> (no reflection over the types, so it works in the Native AOT
/// build), with each property's <see cref="DescriptionAttribute"/>, its default from a default-constructed options
/// object, and durations, sizes and enums written the way the configuration accepts them.
/// </summary>
internal static class ConfigSchema
{
    /// <summary>What <see cref="Duration.TryParse"/> accepts: numbers with a unit each (<c>250ms</c>, <c>1h30m</c>,
    /// <c>1.5s</c>) or a .NET TimeSpan with a colon (<c>00:00:05</c>, <c>1.02:00:00</c>), never negative.</summary>
    public const string DurationPattern =
        @"^\s*(?:(?:(?:\d+(?:\.\d*)?|\.\d+)(?:ms|s|m|h|d))+|(?:\d+[.:])?\d+:\d+(?::\d+(?:\.\d+)?)?)\s*$";

    /// <summary>What <see cref="ByteSize.TryParse"/> accepts: a number of bytes, or of K, M, G, T (KB, KiB…; powers of 1024, any case).</summary>
    public const string SizePattern = @"^\s*(?:\d+(?:\.\d*)?|\.\d+)\s*(?:[bB]|[kKmMgGtT](?:[iI]?[bB])?)?\s*$";

    /// <summary>What <see cref="Deadband.TryParse"/> accepts as a string: a number, or a percentage (<c>5%</c>).</summary>
    public const string DeadbandPattern = @"^\s*\+?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?\s*%?\s*$";

    public const string SchemaDialect = "https://json-schema.org/draft/2020-12/schema";

    private static readonly JsonSerializerOptions Pretty = new()
    {
        WriteIndented = true,
        NewLine = "\n",
        // Descriptions hold <, >, ± and the like: the file is for people and editors, not for an HTML page.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The schema of the whole configuration file.</summary>
    public static JsonObject Generate()
    {
        var exporter = new JsonSchemaExporterOptions
        {
            // Every options property is annotated; only the root (and a list's items) is oblivious, and neither may be null.
            TreatNullObliviousAsNonNullable = true,
            TransformSchemaNode = Transform,
        };
        var body = JsonSchemaExporter.GetJsonSchemaAsNode(AgentJsonContext.Default.AgentOptions, exporter).AsObject();
        var schema = new JsonObject
        {
            ["$schema"] = SchemaDialect,
            ["title"] = "diode-edge configuration (config.json)",
            ["description"] = "The diode-edge agent's config file (/etc/diode-edge/config.json, JSON with // comments); " +
                "environment variables (DIODE_EDGE__HTTP__PORT) and --set key=value override any key. docs/configuration.md says more.",
        };
        foreach (var (key, value) in body.ToList())
        {
            body.Remove(key);
            schema[key] = value;
        }

        return schema;
    }

    /// <summary>The schema as docs/config.schema.json holds it: indented, \n line ends, a final newline.</summary>
    public static string Write(JsonNode schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        return schema.ToJsonString(Pretty) + "\n";
    }

    private static JsonNode Transform(JsonSchemaExporterContext context, JsonNode schema)
    {
        var property = context.PropertyInfo;
        Type type = context.TypeInfo.Type;
        Type? underlying = Nullable.GetUnderlyingType(type);
        bool nullable = underlying is not null;
        type = underlying ?? type;

        if (property?.AttributeProvider?.IsDefined(typeof(ByteSizeAttribute), inherit: false) == true)
        {
            schema = new JsonObject { ["type"] = Types(nullable, "string", "integer"), ["pattern"] = SizePattern, ["minimum"] = 0 };
        }
        else if (type == typeof(TimeSpan))
        {
            schema = new JsonObject { ["type"] = Types(nullable, "string"), ["pattern"] = DurationPattern };
        }
        else if (type.IsEnum)
        {
            schema = new JsonObject { ["type"] = Types(nullable, "string"), ["enum"] = EnumValues(type) };
        }
        else if (property is { Name: "deadband" } && property.DeclaringType == typeof(ReportRules))
        {
            // A string property the configuration also takes as a number (0.2 or "5%").
            schema = new JsonObject { ["type"] = Types(nullable: true, "number", "string"), ["minimum"] = 0, ["pattern"] = DeadbandPattern };
        }

        if (schema is JsonObject obj && context.TypeInfo.Kind == JsonTypeInfoKind.Object && obj["properties"] is JsonObject properties)
        {
            // The agent warns about a key it does not know; an editor can flag the typo as it is typed.
            obj["additionalProperties"] = false;
            AddDefaults(context.TypeInfo, properties);
        }

        if (property is not null && schema is JsonObject described && Description(property) is { } description)
        {
            // The description first, so a reader of the file sees what a key is before its type.
            var copy = new JsonObject { ["description"] = description };
            foreach (var (key, value) in described.ToList())
            {
                described.Remove(key);
                copy[key] = value;
            }

            schema = copy;
        }

        return schema;
    }

    /// <summary>Each property's value in a default-constructed object of <paramref name="type"/>, where it is a value
    /// (not a nested section, and not null, whose meaning the description gives).</summary>
    private static void AddDefaults(JsonTypeInfo type, JsonObject properties)
    {
        if (type.CreateObject is null || JsonSerializer.SerializeToNode(type.CreateObject(), type) is not JsonObject defaults)
        {
            return;
        }

        foreach (var info in type.Properties)
        {
            if (properties[info.Name] is not JsonObject propertySchema || defaults[info.Name] is not { } value)
            {
                continue;
            }

            bool section = value is JsonObject && type.Options.GetTypeInfo(info.PropertyType).Kind == JsonTypeInfoKind.Object;
            if (section)
            {
                continue;
            }

            // An enum as the docs spell it (dropOldest), not as the agent writes it back (dropoldest).
            propertySchema["default"] = propertySchema["enum"] is JsonArray names && value.GetValue<string>() is { } written
                ? names.Select(n => n!.GetValue<string>()).First(n => n.Equals(written, StringComparison.OrdinalIgnoreCase))
                : value.DeepClone();
        }
    }

    private static string? Description(JsonPropertyInfo property) =>
        property.AttributeProvider?.GetCustomAttributes(typeof(DescriptionAttribute), inherit: false) is [DescriptionAttribute { Description: { Length: > 0 } text }, ..]
            ? text
            : null;

    /// <summary>The names as the configuration takes them (in any case): camelCase as the docs write them, and the
    /// lower case the agent writes (<c>config check</c>) when it differs.</summary>
    private static JsonArray EnumValues(Type type)
    {
        var values = new List<JsonNode?>();
        foreach (string name in Enum.GetNames(type))
        {
            string camel = JsonNamingPolicy.CamelCase.ConvertName(name);
            string lower = name.ToLowerInvariant();
            values.Add(camel);
            if (lower != camel)
            {
                values.Add(lower);
            }
        }

        return new JsonArray([.. values]);
    }

    private static JsonNode Types(bool nullable, params string[] types)
    {
        if (types.Length == 1 && !nullable)
        {
            return types[0];
        }

        return new JsonArray([.. types.Select(t => (JsonNode?)t), .. nullable ? new JsonNode?[] { "null" } : []]);
    }
}

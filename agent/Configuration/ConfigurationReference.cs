using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Diode.Edge.Agent.Configuration;

/// <summary>
/// docs/configuration-reference.md, rendered from the schema (<see cref="ConfigSchema"/>): one section per top-level
/// key, one table per object, each key written as the config file writes it (<c>mqtt.reconnectMinDelay</c>,
/// <c>sensors[].interval</c>, <c>streams.&lt;name&gt;.allow</c>) with its type, default and description.
/// </summary>
internal static class ConfigurationReference
{
    public static string Render(JsonNode schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        var page = new StringBuilder();
        page.Append("# Configuration reference\n\n");
        page.Append("<!-- Generated from the options types (agent/Configuration, sensors, watchdog) by ConfigurationReference: do not edit.\n");
        page.Append("     Regenerate with DIODE_EDGE_UPDATE_DOCS=1 dotnet test tests --filter FullyQualifiedName~ConfigSchemaDocsTests -->\n\n");
        page.Append("Every key of config.json, generated from the agent's options types (what each key means in practice: ");
        page.Append("[configuration.md](configuration.md)). The same schema as JSON, for an editor: [config.schema.json](config.schema.json), ");
        page.Append("or `diode-edge config schema`.\n\n");
        page.Append("A duration is written `250ms`, `5s`, `1m`, `1h30m` or `7d` (a .NET TimeSpan such as `00:00:05` too); ");
        page.Append("a size `1048576`, `512K`, `64MB` or `2GiB` (K, M, G, T are powers of 1024). ");
        page.Append("An empty default means none (the description says what that means).\n");

        foreach (var (key, value) in Properties(schema))
        {
            page.Append(CultureInfo.InvariantCulture, $"\n## `{key}`\n\n");
            if (value?["description"]?.GetValue<string>() is { } description)
            {
                page.Append(Cell(description)).Append('\n');
            }

            if (ObjectBelow(value, key) is var (path, obj))
            {
                Tables(page, path, obj, heading: false);
            }
            else
            {
                TableHead(page);
                Row(page, key, value);
            }
        }

        return page.ToString();
    }

    /// <summary>The table of <paramref name="obj"/>'s keys, then a table for each object below it.</summary>
    private static void Tables(StringBuilder page, string path, JsonNode obj, bool heading)
    {
        if (heading)
        {
            page.Append(CultureInfo.InvariantCulture, $"\n### `{path}`\n");
        }

        TableHead(page);
        foreach (var (key, value) in Properties(obj))
        {
            Row(page, path + "." + key, value);
        }

        foreach (var (key, value) in Properties(obj))
        {
            if (ObjectBelow(value, path + "." + key) is var (childPath, child))
            {
                Tables(page, childPath, child, heading: true);
            }
        }
    }

    /// <summary>The object whose keys a value holds, with the path of those keys' parent: the value itself
    /// (<c>mqtt.tls</c>), a list's items (<c>sensors[]</c>) or a map's values (<c>streams.&lt;name&gt;</c>).</summary>
    private static (string Path, JsonNode Object)? ObjectBelow(JsonNode? value, string path) =>
        value?["properties"] is not null ? (path, value)
        : value?["items"]?["properties"] is not null ? (path + "[]", value["items"]!)
        : value?["additionalProperties"] is JsonObject map && map["properties"] is not null ? (path + ".<name>", map)
        : null;

    private static void TableHead(StringBuilder page) =>
        page.Append("\n| key | type | default | description |\n|---|---|---|---|\n");

    private static void Row(StringBuilder page, string path, JsonNode? value)
    {
        string type = TypeOf(value);
        string defaultValue = value?["default"] is { } d ? Code(d is JsonValue v && v.TryGetValue(out string? s) ? s : d.ToJsonString()) : string.Empty;
        string description = value?["description"]?.GetValue<string>() ?? string.Empty;
        page.Append(CultureInfo.InvariantCulture, $"| {Code(path)} | {Cell(type)} | {defaultValue} | {Cell(description)} |\n");
    }

    /// <summary>The type as a reader would say it: <c>duration</c>, <c>size</c>, <c>one of `a`, `b`</c>, <c>list of string</c>, <c>integer or null</c>.</summary>
    private static string TypeOf(JsonNode? schema)
    {
        if (schema is not JsonObject obj)
        {
            return "any";
        }

        var types = obj["type"] switch
        {
            JsonArray array => array.Select(t => t!.GetValue<string>()).ToList(),
            JsonValue single => [single.GetValue<string>()],
            _ => [],
        };
        bool nullable = types.Remove("null");
        string? pattern = obj["pattern"]?.GetValue<string>();
        string text = pattern == ConfigSchema.DurationPattern ? "duration"
            : pattern == ConfigSchema.SizePattern ? "size"
            : obj["enum"] is JsonArray values ? "one of " + string.Join(", ", values.Select(v => v!.GetValue<string>()).DistinctBy(v => v, StringComparer.OrdinalIgnoreCase).Select(v => $"`{v}`"))
            : types.SequenceEqual(["array"]) ? "list of " + TypeOf(obj["items"])
            : types.SequenceEqual(["object"]) && obj["additionalProperties"] is JsonObject values2 ? "map of " + TypeOf(values2)
            : types.Count == 0 ? "any"
            : string.Join(" or ", types);
        return nullable ? text + " or null" : text;
    }

    private static string Code(string text) => text.Contains('`', StringComparison.Ordinal) ? $"`` {text} ``" : $"`{text}`";

    /// <summary>A table cell: a pipe would end it, a newline the row, and <c>&lt;name&gt;</c> would be read as HTML.</summary>
    private static string Cell(string text) => text
        .Replace("&", "&amp;", StringComparison.Ordinal)
        .Replace("<", "&lt;", StringComparison.Ordinal)
        .Replace("|", "\\|", StringComparison.Ordinal)
        .Replace("\n", " ", StringComparison.Ordinal);

    private static JsonObject Properties(JsonNode obj) =>
        obj["properties"] as JsonObject ?? [];
}

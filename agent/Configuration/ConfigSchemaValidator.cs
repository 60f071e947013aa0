using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Diode.Edge.Watchdog;
using Microsoft.Extensions.Configuration;

namespace Diode.Edge.Agent.Configuration;

/// <summary>
/// Walks the raw configuration against the options types before binding: every key must be a property somewhere
/// (otherwise a warning names it, with the nearest known key), every value must parse as its property's type
/// (otherwise an error names the key and the value). Durations and sizes are normalised so the binder can bind them
/// afterwards. The options types are read from System.Text.Json's source-generated metadata
/// (<see cref="AgentJsonContext"/>), not by reflection, so the walk survives trimming and Native AOT.
/// </summary>
/// <param name="jsonKinds">The JSON type of every value in the config file, by configuration path: the configuration
/// flattens JSON, so without it an empty array or object, a null, or <c>true</c> where a number belongs would look like
/// a key that is not there (and bind the default without a word).</param>
internal sealed class ConfigSchemaValidator(ConfigSourceResolver sources, IReadOnlyDictionary<string, JsonValueKind>? jsonKinds = null)
{
    private readonly List<ConfigError> _errors = [];
    private readonly List<ConfigError> _warnings = [];
    private readonly Dictionary<string, string?> _normalized = new(StringComparer.OrdinalIgnoreCase);

    public IReadOnlyList<ConfigError> Errors => _errors;

    public IReadOnlyList<ConfigError> Warnings => _warnings;

    /// <summary>Values rewritten into the form the binder reads (durations as <c>c</c>-format TimeSpans, sizes as bytes).</summary>
    public IReadOnlyDictionary<string, string?> Normalized => _normalized;

    public void Validate(IConfiguration configuration, JsonTypeInfo root)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(root);
        WalkObject(configuration.GetChildren(), root, string.Empty);
    }

    private void WalkObject(IEnumerable<IConfigurationSection> children, JsonTypeInfo type, string display)
    {
        var properties = type.Properties.ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);
        foreach (var child in children)
        {
            if (properties.TryGetValue(child.Key, out var property))
            {
                WalkValue(child, property.PropertyType, property, type.Options, Join(display, property.Name));
            }
            else
            {
                string? nearest = Nearest(child.Key, properties.Keys);
                string hint = nearest is null ? string.Empty : $" (did you mean \"{nearest}\"?)";
                _warnings.Add(new ConfigError(sources.Describe(child.Path), Join(display, child.Key), "unknown key, ignored" + hint));
            }
        }
    }

    private void WalkValue(IConfigurationSection section, Type type, JsonPropertyInfo? property, JsonSerializerOptions metadata, string display)
    {
        bool nullable = !type.IsValueType || Nullable.GetUnderlyingType(type) is not null;
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (WrongJsonKind(section, type, nullable) is { } wrong)
        {
            Error(section, display, $"{wrong} is not {Describe(type, property)}{Example(type, property)}");
            return;
        }

        bool hasChildren = section.GetChildren().Any();
        if (IsLeaf(type))
        {
            if (hasChildren)
            {
                Error(section, display, $"expected {Describe(type, property)}, not an object or a list");
            }
            else if (!string.IsNullOrEmpty(section.Value))
            {
                CheckLeaf(section, type, property, display);
            }

            return;
        }

        if (!string.IsNullOrEmpty(section.Value))
        {
            Error(section, display, $"\"{section.Value}\" is not {Describe(type, property)}");
            return;
        }

        var info = metadata.GetTypeInfo(type);
        if (info.Kind == JsonTypeInfoKind.Dictionary && info.ElementType is { } valueType)
        {
            foreach (var child in section.GetChildren())
            {
                WalkValue(child, valueType, null, metadata, Join(display, child.Key));
            }
        }
        else if (info.Kind == JsonTypeInfoKind.Enumerable && info.ElementType is { } elementType)
        {
            foreach (var child in section.GetChildren())
            {
                if (!int.TryParse(child.Key, NumberStyles.None, CultureInfo.InvariantCulture, out _))
                {
                    Error(child, Join(display, child.Key), "expected a list; this key is not an index");
                    continue;
                }

                WalkValue(child, elementType, null, metadata, $"{display}[{child.Key}]");
            }
        }
        else
        {
            WalkObject(section.GetChildren(), info, display);
        }
    }

    private void CheckLeaf(IConfigurationSection section, Type type, JsonPropertyInfo? property, string display)
    {
        string value = section.Value!;
        if (type == typeof(TimeSpan))
        {
            if (Duration.TryParse(value, out var duration))
            {
                _normalized[section.Path] = duration.ToString("c", CultureInfo.InvariantCulture);
            }
            else
            {
                Error(section, display, $"\"{value}\" is not a duration (write e.g. 250ms, 5s, 1m, 1h, 7d)");
            }
        }
        else if (IsByteSize(property))
        {
            if (ByteSize.TryParse(value, out long bytes))
            {
                _normalized[section.Path] = bytes.ToString(CultureInfo.InvariantCulture);
            }
            else
            {
                Error(section, display, $"\"{value}\" is not a size (write e.g. 64MB, 2GB)");
            }
        }
        else if (type == typeof(bool))
        {
            if (!bool.TryParse(value, out _))
            {
                Error(section, display, $"\"{value}\" is not true or false");
            }
        }
        else if (type == typeof(int) || type == typeof(long))
        {
            if (!long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long n) || (type == typeof(int) && n is < int.MinValue or > int.MaxValue))
            {
                Error(section, display, $"\"{value}\" is not a whole number");
            }
        }
        else if (type == typeof(double))
        {
            // NaN and Infinity parse, and 1e309 parses as Infinity, but no sensor or check can use them (nor can JSON write them).
            if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double number) || !double.IsFinite(number))
            {
                Error(section, display, $"\"{value}\" is not a number");
            }
        }
        else if (type.IsEnum)
        {
            if (!Enum.GetNames(type).Any(n => n.Equals(value, StringComparison.OrdinalIgnoreCase)))
            {
                Error(section, display, $"\"{value}\" is not one of {string.Join(", ", Enum.GetNames(type).Select(n => n.ToLowerInvariant()))}");
            }
        }
    }

    /// <summary>How the file's JSON value is wrong for <paramref name="type"/> ("an array", "null", "true"), or null when its type fits (or the value is not from the file).</summary>
    private string? WrongJsonKind(IConfigurationSection section, Type type, bool nullable)
    {
        if (jsonKinds is null || !jsonKinds.TryGetValue(section.Path, out var kind) || sources.Describe(section.Path) != sources.FilePath)
        {
            return null;
        }

        bool leaf = IsLeaf(type);
        bool list = !leaf && IsList(type);
        return kind switch
        {
            JsonValueKind.Array when !list => "an array",
            JsonValueKind.Object when leaf || list => "an object",
            JsonValueKind.Null when !nullable => "null",
            JsonValueKind.True or JsonValueKind.False when type != typeof(bool) && type != typeof(string) => kind == JsonValueKind.True ? "true" : "false",
            _ => null,
        };
    }

    private static string Example(Type type, JsonPropertyInfo? property) =>
        type == typeof(TimeSpan) ? " (write e.g. 250ms, 5s, 1m, 1h, 7d)"
        : IsByteSize(property) ? " (write e.g. 64MB, 2GB)"
        : string.Empty;

    /// <summary>The JSON type of every value in <paramref name="root"/>, keyed by configuration path (<c>sensors:0:interval</c>).</summary>
    public static Dictionary<string, JsonValueKind> JsonKinds(JsonElement root)
    {
        var kinds = new Dictionary<string, JsonValueKind>(StringComparer.OrdinalIgnoreCase);
        AddKinds(root, string.Empty, kinds);
        return kinds;
    }

    private static void AddKinds(JsonElement element, string path, Dictionary<string, JsonValueKind> kinds)
    {
        if (path.Length > 0)
        {
            kinds[path] = element.ValueKind;
        }

        string prefix = path.Length == 0 ? string.Empty : path + ConfigurationPath.KeyDelimiter;
        if (element.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in element.EnumerateObject())
            {
                AddKinds(property.Value, prefix + TextOf(() => property.Name, path.Length == 0 ? "(a key at the top)" : path + ":(a key)"), kinds);
            }
        }
        else if (element.ValueKind == JsonValueKind.String)
        {
            TextOf(element.GetString, path);
        }
        else if (element.ValueKind == JsonValueKind.Array)
        {
            int i = 0;
            foreach (var item in element.EnumerateArray())
            {
                AddKinds(item, prefix + i.ToString(CultureInfo.InvariantCulture), kinds);
                i++;
            }
        }
    }

    /// <summary>Reads a name or a string, which System.Text.Json refuses only now when it holds an escaped unpaired surrogate.</summary>
    private static string TextOf(Func<string?> read, string path)
    {
        try
        {
            return read() ?? string.Empty;
        }
        catch (InvalidOperationException)
        {
            throw new InvalidJsonTextException(path.Replace(ConfigurationPath.KeyDelimiter, ".", StringComparison.Ordinal));
        }
    }

    private void Error(IConfigurationSection section, string display, string message) =>
        _errors.Add(new ConfigError(sources.Describe(section.Path), display, message));

    private static string Join(string display, string key) => display.Length == 0 ? key : display + "." + key;

    private static bool IsLeaf(Type type) =>
        type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(TimeSpan) || type == typeof(decimal);

    /// <summary>A size in bytes written as <c>64MB</c>: the property carries <see cref="ByteSizeAttribute"/>, which the
    /// source generator keeps reachable through <see cref="JsonPropertyInfo.AttributeProvider"/>.</summary>
    private static bool IsByteSize(JsonPropertyInfo? property) =>
        property?.AttributeProvider?.IsDefined(typeof(ByteSizeAttribute), inherit: false) == true;

    private static bool IsList(Type type) => type.IsArray || (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>));

    private static bool IsDictionary(Type type) => type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Dictionary<,>);

    private static string Describe(Type type, JsonPropertyInfo? property) =>
        type == typeof(TimeSpan) ? "a duration"
        : IsByteSize(property) ? "a size"
        : type == typeof(bool) ? "true or false"
        : type == typeof(int) || type == typeof(long) ? "a whole number"
        : type == typeof(double) ? "a number"
        : type == typeof(string) ? "a string"
        : type.IsEnum ? "one of " + string.Join(", ", Enum.GetNames(type).Select(n => n.ToLowerInvariant()))
        : IsDictionary(type) ? "an object"
        : IsList(type) ? "a list"
        : "an object";

    /// <summary>The known key closest to a misspelt one, if it is close enough to be a typo.</summary>
    private static string? Nearest(string key, IEnumerable<string> candidates)
    {
        string? best = null;
        int bestDistance = int.MaxValue;
        foreach (string candidate in candidates)
        {
            int d = Levenshtein(key.ToLowerInvariant(), candidate.ToLowerInvariant());
            if (d < bestDistance)
            {
                best = candidate;
                bestDistance = d;
            }
        }

        return bestDistance <= Math.Max(2, key.Length / 3) ? best : null;
    }

    private static int Levenshtein(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}

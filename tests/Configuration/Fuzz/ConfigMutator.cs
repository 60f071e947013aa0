using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Diode.Edge.Tests.Configuration.Fuzz;

/// <summary>
/// Deterministic mutations of a shipped configuration (a fixed seed, so every failure reproduces): structural ones on
/// the JSON tree (a value of another type, extreme numbers, huge or junk strings, deleted, unknown, misspelt and
/// wrong-case keys, empty and huge containers, deep nesting) and textual ones on the file (truncation, a BOM, invalid
/// UTF-8, duplicate keys, stray bytes).
/// </summary>
public sealed class ConfigMutator
{
    private static readonly string[] ExtremeNumbers = ["0", "-1", "1e308", "-1e308", "9007199254740993", "1e-320", "123456789012345678901234567890", "2147483648", "-2147483649", "0.5", "-0"];
    private static readonly string[] JunkStrings = ["", " ", "\u0000", "\u0007\u001b[2J", "\ud800", "NaN", "Infinity", "-5s", "5", "0x", "1e9MB", "../../../etc/shadow", "🙂🙂🙂", "\u202e", "5 s", "1.5.5"];

    private readonly JsonNode _original;
    private readonly Random _random;
    private readonly string _name;

    public ConfigMutator(string name, string json, int seed)
    {
        _name = name;
        _original = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true })!;
        _random = new Random(seed);
        Seed = $"{name}#{seed}";
    }

    public string Seed { get; }

    public IEnumerable<ConfigMutation> Mutations(int count)
    {
        for (int i = 0; i < count; i++)
        {
            yield return Next(i);
        }
    }

    private ConfigMutation Next(int number)
    {
        var tree = _original.DeepClone();
        var done = new List<string>();
        int structural = _random.Next(1, 4);
        for (int i = 0; i < structural; i++)
        {
            done.Add(MutateTree(ref tree));
        }

        string text = tree.ToJsonString();
        byte[] bytes = Encoding.UTF8.GetBytes(text);
        if (_random.Next(4) == 0)
        {
            (bytes, string what) = MutateText(bytes);
            done.Add(what);
        }

        return new ConfigMutation(Seed, number, $"{_name} #{number}: {string.Join("; ", done)}", bytes);
    }

    private string MutateTree(ref JsonNode root)
    {
        var places = new List<(JsonNode Parent, string? Key, int Index, string Path)>();
        Collect(root, "", places);
        if (places.Count == 0)
        {
            root = new JsonObject();
            return "emptied the root";
        }

        var (parent, key, index, path) = places[_random.Next(places.Count)];
        switch (_random.Next(11))
        {
            case 0:
                return Set(parent, key, index, RandomValue(), path, "a value of another type");
            case 1:
                return Set(parent, key, index, JsonNode.Parse(ExtremeNumbers[_random.Next(ExtremeNumbers.Length)]), path, "an extreme number");
            case 2:
                return Set(parent, key, index, JsonValue.Create(JunkStrings[_random.Next(JunkStrings.Length)]), path, "a junk string");
            case 3:
                return Set(parent, key, index, JsonValue.Create(new string('x', _random.Next(2) == 0 ? 100_000 : 1_200_000)), path, "a huge string");
            case 4 when key is not null:
                ((JsonObject)parent).Remove(key);
                return $"deleted {path}";
            case 5 when key is not null:
                var renamed = ((JsonObject)parent)[key];
                ((JsonObject)parent).Remove(key);
                string typo = key.Length > 1 ? key[1] + key[..1] + key[2..] : key + "x";
                ((JsonObject)parent)[_random.Next(2) == 0 ? typo : key.ToUpperInvariant()] = renamed;
                return $"misspelt or upper-cased {path}";
            case 6 when parent is JsonObject obj:
                obj["unknownKey" + _random.Next(100).ToString(CultureInfo.InvariantCulture)] = RandomValue();
                return $"an unknown key beside {path}";
            case 7:
                return Set(parent, key, index, _random.Next(2) == 0 ? new JsonObject() : new JsonArray(), path, "an empty container");
            case 8:
                var many = new JsonArray();
                var model = (key is not null ? parent[key] : parent[index])?.DeepClone() ?? JsonValue.Create(1);

                // At most 2 MB in all (beyond the loader's 1 MB limit already): a copied huge string must not cost the test gigabytes.
                int copies = Math.Min(5_000, 2_000_000 / Math.Max(1, model.ToJsonString().Length));
                for (int i = 0; i < copies; i++)
                {
                    many.Add(model.DeepClone());
                }

                return Set(parent, key, index, many, path, $"{copies} copies of the value in an array");
            case 9:
                JsonNode deep = JsonValue.Create(1)!;
                int depth = _random.Next(2) == 0 ? 70 : 500;
                for (int i = 0; i < depth; i++)
                {
                    deep = new JsonArray(deep);
                }

                return Set(parent, key, index, deep, path, $"{depth} levels of nesting");
            default:
                return Set(parent, key, index, JsonValue.Create(_random.Next(2) == 0), path, "a boolean");
        }
    }

    private (byte[] Bytes, string What) MutateText(byte[] bytes)
    {
        switch (_random.Next(7))
        {
            case 0:
                int at = _random.Next(bytes.Length);
                return (bytes[..at], $"truncated at byte {at}");
            case 1:
                return ([0xEF, 0xBB, 0xBF, .. bytes], "a byte-order mark");
            case 2:
                int bad = _random.Next(bytes.Length);
                return ([.. bytes[..bad], 0xC3, 0x28, 0xFF, .. bytes[bad..]], $"invalid UTF-8 at byte {bad}");
            case 3:
                int brace = Array.IndexOf(bytes, (byte)'{');
                return ([.. bytes[..(brace + 1)], .. "\"http\":{\"port\":1},"u8.ToArray(), .. bytes[(brace + 1)..]], "a duplicate key");
            case 4:
                return ([.. bytes, .. "\n// trailing comment\n"u8.ToArray()], "a comment after the root");
            case 5:
                return ([.. Encoding.UTF8.GetBytes(new string('[', 10_000)), .. bytes], "10,000 unclosed brackets before the root");
            default:
                int nul = _random.Next(bytes.Length);
                return ([.. bytes[..nul], 0, .. bytes[nul..]], $"a NUL at byte {nul}");
        }
    }

    private JsonNode? RandomValue() => _random.Next(6) switch
    {
        0 => JsonValue.Create("text"),
        1 => JsonValue.Create(_random.Next(-100, 100_000)),
        2 => JsonValue.Create(_random.Next(2) == 0),
        3 => null,
        4 => new JsonArray(JsonValue.Create(1), JsonValue.Create("a")),
        _ => new JsonObject { ["a"] = 1 },
    };

    private static string Set(JsonNode parent, string? key, int index, JsonNode? value, string path, string what)
    {
        if (key is not null)
        {
            parent[key] = value;
        }
        else
        {
            parent[index] = value;
        }

        return $"{path}: {what}";
    }

    private static void Collect(JsonNode node, string path, List<(JsonNode, string?, int, string)> places)
    {
        if (node is JsonObject obj)
        {
            foreach (var (key, child) in obj.ToList())
            {
                string childPath = path.Length == 0 ? key : path + "." + key;
                places.Add((obj, key, -1, childPath));
                if (child is not null)
                {
                    Collect(child, childPath, places);
                }
            }
        }
        else if (node is JsonArray array)
        {
            for (int i = 0; i < array.Count; i++)
            {
                string childPath = $"{path}[{i}]";
                places.Add((array, null, i, childPath));
                if (array[i] is { } child)
                {
                    Collect(child, childPath, places);
                }
            }
        }
    }
}

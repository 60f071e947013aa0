using System.Text.Json;
using System.Text.Json.Nodes;

namespace Diode.Edge.Tests.DiodeStandIn;

/// <summary>
/// The client's key/value store at -dbpath (db/db.go in the real client, its own format; the agent never reads it).
/// Here a JSON object of key → hex bytes, written through "&lt;dbpath&gt;.tmp" and renamed; the keys "private" and
/// "fleet" are also copied to "&lt;dbpath&gt;.bck" like clidb.EnableBackup does. Keys used: private (the secp256k1 key,
/// 32 raw bytes here), fleet (20 bytes), published_public_ports / published_protected_ports / published_private_ports
/// (JSON lists, as the real controls persist them), lvbn2/lvbh2 (the last valid block), and standin_stale_bq (the
/// stand-in's marker for a stale BlockQuick window; cleared by a -bqdowngrade run).
/// </summary>
internal sealed class ClientDb
{
    private readonly string _path;
    private readonly SortedDictionary<string, byte[]> _values = new(StringComparer.Ordinal);

    private ClientDb(string path) => _path = path;

    public static ClientDb Open(string path)
    {
        var db = new ClientDb(path);
        string? dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (dir is not null)
        {
            Directory.CreateDirectory(dir);
        }

        if (File.Exists(path) && new FileInfo(path).Length > 0)
        {
            if (JsonNode.Parse(File.ReadAllText(path)) is JsonObject obj)
            {
                foreach (var (key, value) in obj)
                {
                    if (value?.GetValue<string>() is { } hex)
                    {
                        db._values[key] = Convert.FromHexString(hex);
                    }
                }
            }
        }
        else
        {
            db.Save();
        }

        return db;
    }

    public byte[]? Get(string key) => _values.TryGetValue(key, out var v) ? v : null;

    public IReadOnlyList<string> List() => _values.Keys.ToList();

    public void Put(string key, byte[] value)
    {
        _values[key] = value;
        Save();
    }

    public void Del(string key)
    {
        if (_values.Remove(key))
        {
            Save();
        }
    }

    private void Save()
    {
        Write(_path, _values);
        var backup = _values.Where(kv => kv.Key is "private" or "fleet").ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
        if (backup.Count > 0)
        {
            Write(_path + ".bck", backup);
        }
    }

    private static void Write(string path, IEnumerable<KeyValuePair<string, byte[]>> values)
    {
        var obj = new JsonObject();
        foreach (var (key, value) in values)
        {
            obj[key] = Convert.ToHexStringLower(value);
        }

        string tmp = path + ".tmp";
        File.WriteAllText(tmp, obj.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        File.Move(tmp, path, overwrite: true);
    }
}

using System.Text;

namespace Diode.Edge.Tests.DiodeStandIn;

/// <summary>
/// The client's key/value store at -dbpath (db/db.go in the real client, its own format; the agent never reads it).
/// In the real format (db/db.go): uvarint magic 4389235283, uvarint count, uvarint-length-prefixed keys and values,
/// written through "&lt;dbpath&gt;.tmp" and renamed; the keys "private" and "fleet" are also copied to "&lt;dbpath&gt;.bck"
/// like clidb.EnableBackup does. Keys used: private (the secp256k1 key as an SEC 1 "EC PRIVATE KEY" PEM, as
/// rpc/crypto.go stores it), fleet (20 bytes), published_public_ports / published_protected_ports / published_private_ports
/// (JSON lists, as the real controls persist them), lvbn2/lvbh2 (the last valid block), and standin_stale_bq (the
/// stand-in's marker for a stale BlockQuick window; cleared by a -bqdowngrade run).
/// </summary>
internal sealed class ClientDb
{
    private const ulong Magic = 4389235283;
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
            foreach (var (key, value) in Decode(File.ReadAllBytes(path)))
            {
                db._values[key] = value;
            }
        }
        else
        {
            db.Save();
        }

        return db;
    }

    /// <summary>db/db.go: uvarint magic 4389235283, uvarint count, then uvarint-length-prefixed key and value per entry.</summary>
    private static List<KeyValuePair<string, byte[]>> Decode(byte[] data)
    {
        int offset = 0;
        if (Uvarint(data, ref offset) != Magic)
        {
            throw new IOException("invalid database magic");
        }

        ulong count = Uvarint(data, ref offset);
        var entries = new List<KeyValuePair<string, byte[]>>();
        for (ulong i = 0; i < count; i++)
        {
            string key = Encoding.UTF8.GetString(Bytes(data, ref offset));
            entries.Add(new(key, Bytes(data, ref offset)));
        }

        return entries;
    }

    private static ulong Uvarint(byte[] data, ref int offset)
    {
        ulong value = 0;
        for (int shift = 0; shift < 64; shift += 7)
        {
            if (offset >= data.Length)
            {
                throw new IOException("unexpected EOF");
            }

            byte b = data[offset++];
            value |= (ulong)(b & 0x7f) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }

        throw new IOException("uvarint overflow");
    }

    private static byte[] Bytes(byte[] data, ref int offset)
    {
        int length = checked((int)Uvarint(data, ref offset));
        if (length > data.Length - offset)
        {
            throw new IOException("unexpected EOF");
        }

        byte[] bytes = data[offset..(offset + length)];
        offset += length;
        return bytes;
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
        var list = values.ToList();
        using var buffer = new MemoryStream();
        PutUvarint(buffer, Magic);
        PutUvarint(buffer, (ulong)list.Count);
        foreach (var (key, value) in list)
        {
            byte[] name = Encoding.UTF8.GetBytes(key);
            PutUvarint(buffer, (ulong)name.Length);
            buffer.Write(name);
            PutUvarint(buffer, (ulong)value.Length);
            buffer.Write(value);
        }

        string tmp = path + ".tmp";
        File.WriteAllBytes(tmp, buffer.ToArray());
        File.Move(tmp, path, overwrite: true);
    }

    private static void PutUvarint(Stream stream, ulong value)
    {
        while (value >= 0x80)
        {
            stream.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }

        stream.WriteByte((byte)value);
    }
}

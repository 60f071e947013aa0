using System.Formats.Asn1;
using System.Text;

namespace Diode.Edge.Agent.Diode;

/// <summary>
/// The Diode client's database file (its <c>-dbpath</c>), in the client's own format (db/db.go): uvarint magic
/// 4389235283, uvarint count, then per entry uvarint length + key bytes, uvarint length + value bytes. The agent uses it
/// for one thing the client's command line cannot do safely: importing the device key as the client's identity
/// (<c>config -set private=</c> puts the key in argv, and in v1.18.8 fails on secp256k1 keys; docs/diode-client.md).
/// Written only while the client is stopped, atomically (a temporary file renamed over it, as the client does), keeping
/// every other entry. Bounded: a file over <see cref="MaxFileSize"/> or with more than <see cref="MaxEntries"/> entries is refused.
/// </summary>
internal static class DiodeDatabase
{
    public const ulong Magic = 4389235283;
    public const int MaxFileSize = 16 << 20;
    public const int MaxEntries = 100_000;

    /// <summary>Reads every entry (in file order); an absent file is empty.</summary>
    public static List<KeyValuePair<string, byte[]>> Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var entries = new List<KeyValuePair<string, byte[]>>();
        var info = new FileInfo(path);
        if (!info.Exists || info.Length == 0)
        {
            return entries;
        }

        if (info.Length > MaxFileSize)
        {
            throw new InvalidDataException($"{path}: {info.Length} bytes, more than a Diode client database holds ({MaxFileSize} at most)");
        }

        byte[] data = File.ReadAllBytes(path);
        int offset = 0;
        if (ReadUvarint(data, ref offset) != Magic)
        {
            throw new InvalidDataException($"{path} is not a Diode client database (wrong magic)");
        }

        ulong count = ReadUvarint(data, ref offset);
        if (count > MaxEntries)
        {
            throw new InvalidDataException($"{path}: {count} entries, more than {MaxEntries}");
        }

        for (ulong i = 0; i < count; i++)
        {
            string key = Encoding.UTF8.GetString(ReadBytes(data, ref offset));
            entries.Add(new(key, ReadBytes(data, ref offset)));
        }

        return entries;
    }

    /// <summary>Sets <paramref name="key"/> to <paramref name="value"/>, keeping every other entry; atomic (temporary file, fsync, rename), mode 0600.</summary>
    public static void Put(string path, string key, byte[] value)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        var entries = Read(path);
        int index = entries.FindIndex(e => e.Key == key);
        if (index >= 0)
        {
            entries[index] = new(key, value);
        }
        else
        {
            entries.Add(new(key, value));
        }

        using var buffer = new MemoryStream();
        WriteUvarint(buffer, Magic);
        WriteUvarint(buffer, (ulong)entries.Count);
        foreach (var (name, bytes) in entries)
        {
            byte[] nameBytes = Encoding.UTF8.GetBytes(name);
            WriteUvarint(buffer, (ulong)nameBytes.Length);
            buffer.Write(nameBytes);
            WriteUvarint(buffer, (ulong)bytes.Length);
            buffer.Write(bytes);
        }

        string? directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        string temporary = path + ".diode-edge.tmp";
        using (var file = new FileStream(temporary, new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite }))
        {
            buffer.Position = 0;
            buffer.CopyTo(file);
            file.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>The value of <paramref name="key"/>, or null.</summary>
    public static byte[]? Get(string path, string key) => Read(path).LastOrDefault(e => e.Key == key).Value;

    /// <summary>
    /// The PEM the client stores under <c>private</c> (rpc/crypto.go marshalNamedCurvePrivatePEM): an SEC 1
    /// <c>EC PRIVATE KEY</c> with the 32-byte scalar, the named curve secp256k1 (1.3.132.0.10) and the uncompressed public key.
    /// </summary>
    public static byte[] PrivateKeyPem(ReadOnlySpan<byte> privateKey, ReadOnlySpan<byte> uncompressedPublicKey)
    {
        if (privateKey.Length != 32 || uncompressedPublicKey.Length != 65)
        {
            throw new ArgumentException("a secp256k1 key is a 32-byte scalar with a 65-byte uncompressed public key");
        }

        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteInteger(1);
            writer.WriteOctetString(privateKey);
            using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true)))
            {
                writer.WriteObjectIdentifier("1.3.132.0.10");
            }

            using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 1, isConstructed: true)))
            {
                writer.WriteBitString(uncompressedPublicKey);
            }
        }

        return Encoding.ASCII.GetBytes(new string(System.Security.Cryptography.PemEncoding.Write("EC PRIVATE KEY", writer.Encode())) + "\n");
    }

    private static ulong ReadUvarint(byte[] data, ref int offset)
    {
        ulong value = 0;
        for (int shift = 0; shift < 64; shift += 7)
        {
            if (offset >= data.Length)
            {
                throw new InvalidDataException("the Diode client database ends inside a number");
            }

            byte b = data[offset++];
            value |= (ulong)(b & 0x7f) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }

        throw new InvalidDataException("the Diode client database has a number longer than 64 bits");
    }

    private static byte[] ReadBytes(byte[] data, ref int offset)
    {
        ulong length = ReadUvarint(data, ref offset);
        if (length > (ulong)(data.Length - offset))
        {
            throw new InvalidDataException("the Diode client database ends inside an entry");
        }

        byte[] bytes = data.AsSpan(offset, (int)length).ToArray();
        offset += (int)length;
        return bytes;
    }

    private static void WriteUvarint(Stream stream, ulong value)
    {
        while (value >= 0x80)
        {
            stream.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }

        stream.WriteByte((byte)value);
    }
}

using Diode.Edge.Agent.Diode;
using Diode.Edge.Agent.Identity;
using Diode.Edge.Tests.Support;

namespace Diode.Edge.Tests.DiodeClient;

/// <summary>The client's database format (db/db.go) and the key PEM it stores (rpc/crypto.go), written by the agent.</summary>
[Trait("Tier", Tiers.Unit)]
public sealed class DiodeDatabaseTests
{
    [Fact]
    public void The_device_key_is_written_as_the_clients_pem_and_other_entries_are_kept()
    {
        using var dir = new TempDirectory();
        string db = Path.Combine(dir.Path, "diode", "private.db");
        byte[] fleet = Convert.FromHexString("5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed");
        DiodeDatabase.Put(db, "fleet", fleet);
        var key = new DeviceKey("4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318");

        DiodeDatabase.Put(db, "private", DiodeDatabase.PrivateKeyPem(key.PrivateKeyBytes(), key.UncompressedPublicKey()));

        byte[] bytes = File.ReadAllBytes(db);
        Assert.Equal([211, 212, 249, 172, 16, 2], bytes[..6]); // uvarint 4389235283, then 2 entries
        Assert.Equal(fleet, DiodeDatabase.Get(db, "fleet"));
        string pem = System.Text.Encoding.ASCII.GetString(DiodeDatabase.Get(db, "private")!);
        Assert.StartsWith("-----BEGIN EC PRIVATE KEY-----", pem, StringComparison.Ordinal);

        // An independent reader of SEC 1: OpenSSL (through .NET), which names the curve secp256k1.
        using var ec = System.Security.Cryptography.ECDsa.Create();
        ec.ImportFromPem(pem);
        var parameters = ec.ExportParameters(includePrivateParameters: true);
        Assert.Equal(key.PrivateKeyBytes(), parameters.D);
        Assert.Equal(key.UncompressedPublicKey()[1..33], parameters.Q.X);
        Assert.Equal("1.3.132.0.10", parameters.Curve.Oid.Value);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(db));
    }

    [Fact]
    public void A_file_that_is_not_a_diode_database_is_refused_not_overwritten()
    {
        using var dir = new TempDirectory();
        string db = dir.File("private.db", "not a database");

        Assert.Throws<InvalidDataException>(() => DiodeDatabase.Put(db, "private", [1, 2, 3]));
        Assert.Equal("not a database", File.ReadAllText(db));
    }
}

using System.Text.Json;
using Diode.Edge.Agent.Identity;
using Diode.Edge.Tests.Support;

namespace Diode.Edge.Tests.Identity;

/// <summary>The key file and the identity commands, through the real executable where the user would use them (the identity statement: <see cref="IdentityStatementTests"/>).</summary>
[Trait("Tier", Tiers.Integration)]
public sealed class DeviceKeyTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public DeviceKeyTests()
    {
        _dir.File("config.json", """{ "identity": { "keyPath": "state/device.key" }, "sensors": [ { "type": "simulated", "name": "env" } ] }""");
    }

    private string KeyPath => Path.Combine(_dir.Path, "state", "device.key");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task The_key_is_created_once_with_mode_0600_and_keeps_the_address()
    {
        var (code, first, _) = await AgentProcess.RunAsync(_dir.Path, null, "identity", "show", "--config", "config.json");
        var (_, second, _) = await AgentProcess.RunAsync(_dir.Path, null, "identity", "show", "--config", "config.json");

        Assert.Equal(0, code);
        Assert.Contains("(created now)", first, StringComparison.Ordinal);
        Assert.DoesNotContain("(created now)", second, StringComparison.Ordinal);
        Assert.Equal(first.Split('\n')[0], second.Split('\n')[0]);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(KeyPath));
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(KeyPath)!, "*.tmp"));
    }

    [Fact]
    public async Task A_key_readable_by_others_is_refused_with_exit_78_and_the_fix()
    {
        DeviceKeyFile.Write(KeyPath, DeviceKey.GeneratePrivateKeyHex(), overwrite: false);
        File.SetUnixFileMode(KeyPath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        var (code, _, stderr) = await AgentProcess.RunAsync(_dir.Path, null, "run", "--config", "config.json");

        Assert.Equal(78, code);
        Assert.Equal($"error: {KeyPath.Replace(_dir.Path + "/", string.Empty, StringComparison.Ordinal)}: the device key is readable by others (mode 644); run: chmod 600 {KeyPath.Replace(_dir.Path + "/", string.Empty, StringComparison.Ordinal)}", stderr.Trim());
    }

    [Theory]
    [InlineData("not a key")]
    [InlineData("0x1234")]
    [InlineData("0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141")]
    public async Task A_malformed_key_is_refused_with_exit_78(string content)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(KeyPath)!);
        File.WriteAllText(KeyPath, content);
        File.SetUnixFileMode(KeyPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        var (code, _, stderr) = await AgentProcess.RunAsync(_dir.Path, null, "run", "--config", "config.json");

        Assert.Equal(78, code);
        Assert.Contains("not a", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_and_import_move_a_key_between_devices_and_import_will_not_silently_replace_one()
    {
        var (_, shown, _) = await AgentProcess.RunAsync(_dir.Path, null, "identity", "show", "--config", "config.json");
        var (exportCode, exported, warning) = await AgentProcess.RunAsync(_dir.Path, null, "identity", "export", "--config", "config.json");
        Assert.Equal(0, exportCode);
        Assert.Contains("private key", warning, StringComparison.Ordinal);
        string address = shown.Split('\n')[0].Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];

        using var other = new TempDirectory();
        other.File("config.json", """{ "identity": { "keyPath": "device.key" }, "sensors": [] }""");
        other.File("backup.key", exported);
        await AgentProcess.RunAsync(other.Path, null, "identity", "show", "--config", "config.json");

        var (refused, _, why) = await AgentProcess.RunAsync(other.Path, null, "identity", "import", "backup.key", "--config", "config.json");
        var (forced, done, _) = await AgentProcess.RunAsync(other.Path, null, "identity", "import", "backup.key", "--force", "--config", "config.json");

        Assert.Equal(78, refused);
        Assert.Contains("pass --force", why, StringComparison.Ordinal);
        Assert.Equal(0, forced);
        Assert.Contains(address, done, StringComparison.Ordinal);
        Assert.Equal(address, DeviceKeyFile.Load(Path.Combine(other.Path, "device.key")).Address);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(other.Path, "device.key")));
    }
}

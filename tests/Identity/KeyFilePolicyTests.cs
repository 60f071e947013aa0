using Diode.Edge.Agent.Identity;
using Diode.Edge.Tests.Support;

namespace Diode.Edge.Tests.Identity;

/// <summary>The key path must be a regular file of this user in a directory others cannot write (like ssh's StrictModes); every refusal is one line, exit 78, and leaves no temporary key behind.</summary>
[Trait("Tier", Tiers.Hostile)]
public sealed class KeyFilePolicyTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public KeyFilePolicyTests()
    {
        _dir.File("config.json", """{ "identity": { "keyPath": "state/device.key" }, "sensors": [ { "type": "simulated", "name": "env" } ] }""");
        Directory.CreateDirectory(StateDir);
        File.SetUnixFileMode(StateDir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    private string StateDir => Path.Combine(_dir.Path, "state");

    private string KeyPath => Path.Combine(StateDir, "device.key");

    public void Dispose() => _dir.Dispose();

    private async Task<string> RefusedAsync()
    {
        var (code, _, stderr) = await AgentProcess.RunAsync(_dir.Path, null, "identity", "show", "--config", "config.json");
        Assert.Equal(78, code);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(StateDir, "*.tmp", new EnumerationOptions { AttributesToSkip = 0 }));
        return stderr.Trim();
    }

    [Fact]
    public async Task A_dangling_symbolic_link_is_refused_and_not_followed()
    {
        File.CreateSymbolicLink(KeyPath, Path.Combine(_dir.Path, "elsewhere.key"));

        Assert.Equal("error: state/device.key: is a symbolic link; the device key must be a regular file (symbolic links are not followed)", await RefusedAsync());
        Assert.False(File.Exists(Path.Combine(_dir.Path, "elsewhere.key")));
    }

    [Fact]
    public async Task A_directory_at_the_key_path_leaves_no_temporary_key_behind()
    {
        Directory.CreateDirectory(KeyPath);

        Assert.Equal("error: state/device.key: is a directory, not a device key file", await RefusedAsync());
        Assert.Equal("error: state/device.key: is a directory, not a device key file", await RefusedAsync());
    }

    [Fact]
    public async Task A_fifo_at_the_key_path_is_refused_without_blocking()
    {
        var (made, _, _) = await Tool.RunAsync("mkfifo", [KeyPath], _dir.Path);
        Assert.Equal(0, made);

        Assert.Equal("error: state/device.key: is a FIFO (named pipe), not a device key file", await RefusedAsync());
    }

    [Fact]
    public async Task A_key_owned_by_another_user_is_refused()
    {
        DeviceKeyFile.Write(KeyPath, DeviceKey.GeneratePrivateKeyHex(), overwrite: false);
        var (chowned, _, _) = await Tool.RunAsync("chown", ["65534", KeyPath], _dir.Path);
        Assert.Equal(0, chowned);

        Assert.Equal("error: state/device.key: the device key belongs to another user (uid 65534, this is uid 0); run: chown 0 state/device.key", await RefusedAsync());
    }

    [Fact]
    public async Task A_key_in_a_world_writable_directory_is_refused_and_none_is_created_there()
    {
        File.SetUnixFileMode(StateDir, (UnixFileMode)0b111_111_111);

        Assert.Equal($"error: {StateDir}: the device key's directory is writable by others (mode 777), who could replace the key; run: chmod go-w {StateDir}", await RefusedAsync());
        Assert.False(File.Exists(KeyPath));

        File.SetUnixFileMode(StateDir, (UnixFileMode)0b111_000_000);
        var (code, _, _) = await AgentProcess.RunAsync(_dir.Path, null, "identity", "show", "--config", "config.json");
        Assert.Equal(0, code);
        File.SetUnixFileMode(StateDir, (UnixFileMode)0b111_111_111);

        Assert.StartsWith($"error: {StateDir}: the device key's directory is writable by others", await RefusedAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_world_writable_sticky_directory_of_root_is_accepted_like_tmp()
    {
        File.SetUnixFileMode(StateDir, (UnixFileMode)0b1_111_111_111);

        var (code, _, stderr) = await AgentProcess.RunAsync(_dir.Path, null, "identity", "show", "--config", "config.json");

        Assert.True(code == 0, stderr);
    }
}

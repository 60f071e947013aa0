using Diode.Edge.Tests.Support;

namespace Diode.Edge.Tests.Configuration;

/// <summary>Only a regular file (or a symbolic link to one) of bounded size is read as the config: a FIFO would hang, /dev/zero never ends.</summary>
[Trait("Tier", Tiers.Hostile)]
public sealed class ConfigFileTypeTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private Task<(int ExitCode, string Stdout, string Stderr)> CheckAsync(string config) =>
        AgentProcess.RunAsync(_dir.Path, null, "config", "check", "--config", config);

    [Fact]
    public async Task A_fifo_as_the_config_exits_78_without_hanging()
    {
        var (made, _, _) = await Tool.RunAsync("mkfifo", [Path.Combine(_dir.Path, "config.fifo")], _dir.Path);
        Assert.Equal(0, made);

        var (code, _, stderr) = await CheckAsync("config.fifo");

        Assert.Equal(78, code);
        Assert.Equal("error: config.fifo: is a FIFO (named pipe), not a regular file; --config takes a JSON file", stderr.Trim());
    }

    [Theory]
    [InlineData("/dev/zero")]
    [InlineData("/dev/null")]
    public async Task A_device_as_the_config_exits_78(string device)
    {
        var (code, _, stderr) = await CheckAsync(device);

        Assert.Equal(78, code);
        Assert.Equal($"error: {device}: is a character device, not a regular file; --config takes a JSON file", stderr.Trim());
    }

    [Fact]
    public async Task A_directory_as_the_config_exits_78()
    {
        Directory.CreateDirectory(Path.Combine(_dir.Path, "conf.d"));

        var (code, _, stderr) = await CheckAsync("conf.d");

        Assert.Equal(78, code);
        Assert.Equal("error: conf.d: is a directory, not a regular file; --config takes a JSON file", stderr.Trim());
    }

    [Fact]
    public async Task A_config_over_1_MB_exits_78()
    {
        _dir.File("big.json", "{ \"log\": {} " + new string(' ', 1024 * 1024) + "}");

        var (code, _, stderr) = await CheckAsync("big.json");

        Assert.Equal(78, code);
        Assert.StartsWith("error: big.json: too large for a config file (", stderr.Trim(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_symbolic_link_to_a_config_is_followed_and_one_to_nothing_is_named()
    {
        _dir.File("real.json", """{ "sensors": [ { "type": "simulated", "name": "env" } ] }""");
        File.CreateSymbolicLink(Path.Combine(_dir.Path, "config.json"), "real.json");
        File.CreateSymbolicLink(Path.Combine(_dir.Path, "gone.json"), "missing.json");

        var (ok, _, _) = await CheckAsync("config.json");
        var (code, _, stderr) = await CheckAsync("gone.json");

        Assert.Equal(0, ok);
        Assert.Equal(78, code);
        Assert.Equal("error: gone.json: a symbolic link to nothing", stderr.Trim());
    }
}

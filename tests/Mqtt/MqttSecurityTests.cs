using System.Text.Json;
using Diode.Edge.Contract;
using Diode.Edge.Tests.Support;
using Xunit.Abstractions;

namespace Diode.Edge.Tests.Mqtt;

/// <summary>TLS with a CA made here by openssl, and user/password against a mosquitto that refuses anonymous clients.</summary>
[Trait("Tier", Tiers.Integration)]
public sealed class MqttSecurityTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Over_TLS_frames_arrive_when_the_broker_is_signed_by_the_configured_CA_and_not_otherwise()
    {
        var pki = await MakePkiAsync();
        await using var broker = await Mosquitto.StartAsync([$"cafile {pki.Ca}", $"certfile {pki.ServerCert}", $"keyfile {pki.ServerKey}"]);
        // The test's own subscriber skips verification: what is under test is the agent's.
        await using var probe = new MqttProbe(broker.Port, ["diode-edge/+/env/frame"], tls: true);
        await probe.ConnectAsync();

        await using var agent = await RunningAgent.StartAsync(MqttAgent.Config(broker.Port, $$""", "tls": { "enabled": true, "caFile": "{{pki.Ca}}" }"""));
        string address = await MqttAgent.AddressAsync(agent);
        var frames = await probe.WaitForAsync(m => m.Count >= 3, Patience, "3 frames over TLS");
        var verifier = new FrameVerifier(address);
        Assert.All(frames, f => Assert.True(verifier.Verify(System.Text.Encoding.UTF8.GetBytes(f.Payload)).Accepted));
        await MqttAgent.WaitForHealthAsync(agent.Http, "healthy", Patience);

        // Without the CA (the system's trust store only) the self-signed broker is refused, and /health says why.
        await using var untrusting = await RunningAgent.StartAsync(MqttAgent.Config(broker.Port, """, "tls": { "enabled": true }"""));
        var health = await MqttAgent.WaitForFailedAttemptAsync(untrusting.Http, Patience);
        Assert.Equal("degraded", health.GetProperty("status").GetString());
        Assert.Contains("not connected to 127.0.0.1:" + broker.Port, health.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, health.GetProperty("framesPublished").GetInt64());
        Assert.Contains("the broker's certificate is not trusted by this system", health.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("set mqtt.tls.caFile", health.GetProperty("detail").GetString(), StringComparison.Ordinal);
        output.WriteLine("without the CA: " + health.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_broker_that_requires_a_client_certificate_accepts_the_configured_one()
    {
        var pki = await MakePkiAsync();
        var client = await MakeClientCertificateAsync();
        await using var broker = await Mosquitto.StartAsync([$"cafile {pki.Ca}", $"certfile {pki.ServerCert}", $"keyfile {pki.ServerKey}", "require_certificate true"], plainListener: true);
        await using var probe = await MqttProbe.ConnectAsync(broker.PlainPort, "diode-edge/+/env/frame");

        await using var agent = await RunningAgent.StartAsync(MqttAgent.Config(broker.Port, $$""", "tls": { "enabled": true, "caFile": "{{pki.Ca}}", "certFile": "{{client.Cert}}", "keyFile": "{{client.Key}}" }"""));

        await MqttAgent.WaitForHealthAsync(agent.Http, "healthy", Patience);
        var verifier = new FrameVerifier(await MqttAgent.AddressAsync(agent));
        var frames = await probe.WaitForAsync(m => m.Count >= 3, Patience, "3 frames from the agent with a client certificate");
        Assert.All(frames, f => Assert.True(verifier.Verify(System.Text.Encoding.UTF8.GetBytes(f.Payload)).Accepted));

        // The same broker turns away an agent that has no certificate to show.
        await using var without = await RunningAgent.StartAsync(MqttAgent.Config(broker.Port, $$""", "tls": { "enabled": true, "caFile": "{{pki.Ca}}" }"""));
        var refused = await MqttAgent.WaitForFailedAttemptAsync(without.Http, Patience);
        Assert.Equal("degraded", refused.GetProperty("status").GetString());
        Assert.False(refused.GetProperty("connected").GetBoolean());
        Assert.Equal(0, refused.GetProperty("framesPublished").GetInt64());
    }

    [Fact]
    public async Task With_a_password_file_frames_arrive_and_a_wrong_password_is_a_clear_error_in_health_and_log_without_a_crash()
    {
        string passwords = Path.Combine(_dir.Path, "mosquitto.passwd");
        var (code, _, stderr) = await Tool.RunAsync("mosquitto_passwd", ["-c", "-b", passwords, "edge", "s3cret word"]);
        Assert.True(code == 0, stderr);
        await using var broker = await Mosquitto.StartAsync(passwordFile: passwords);
        string good = Secret("good.pw", "s3cret word\n");
        string bad = Secret("bad.pw", "guess\n");

        await using (var agent = await RunningAgent.StartAsync(MqttAgent.Config(broker.Port, $$""", "username": "edge", "passwordFile": "{{good}}" """)))
        {
            await MqttAgent.WaitForHealthAsync(agent.Http, "healthy", Patience);
            Assert.True((await MqttAgent.HealthAsync(agent.Http)).GetProperty("connected").GetBoolean());
        }

        // The real executable, to see its log: it keeps serving, says what is wrong, and keeps retrying.
        string config = _dir.File("bad.json", MqttAgent.Config(broker.Port, $$""", "username": "edge", "passwordFile": "{{bad}}" """, extraTop: $$""" "identity": { "keyPath": "{{Path.Combine(_dir.Path, "device.key")}}" }, "store": { "path": "{{Path.Combine(_dir.Path, "store.db")}}" }, "http": { "port": 0 }, """));
        using var process = System.Diagnostics.Process.Start(AgentProcess.StartInfo(_dir.Path, null, "run", "--config", config))!;
        try
        {
            // The start line and the mqtt error come in either order: read until both are there.
            Uri? address = null;
            string? error = null;
            var log = new System.Text.StringBuilder();
            while (address is null || error is null)
            {
                string? line = await process.StandardOutput.ReadLineAsync().WaitAsync(Patience);
                Assert.True(line is not null, "the agent exited: " + log);
                log.AppendLine(line);
                if (System.Text.RegularExpressions.Regex.Match(line, @"started with .*? on (http://\S+)") is { Success: true } started)
                {
                    address = new Uri(started.Groups[1].Value);
                }

                if (line.Contains("mqtt: not connected", StringComparison.Ordinal))
                {
                    error = line;
                }
            }

            Assert.True(error.Contains("check mqtt.username \"edge\" and the password in mqtt.passwordFile", StringComparison.Ordinal), error);
            Assert.Matches("the broker refused the connection: (BadUserNameOrPassword|NotAuthorized)", error);
            using var http = new HttpClient { BaseAddress = address };
            var health = await MqttAgent.WaitForHealthAsync(http, "degraded", Patience);
            string detail = health.GetProperty("detail").GetString()!;
            Assert.Contains("the broker refused the connection", detail, StringComparison.Ordinal);
            Assert.Contains("mqtt.passwordFile", detail, StringComparison.Ordinal);
            using var latest = JsonDocument.Parse(await http.GetStringAsync("/streams/env/latest"));
            Assert.True(latest.RootElement.TryGetProperty("sig", out _));
            Assert.False(process.HasExited);
        }
        finally
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
    }

    private string Secret(string name, string content)
    {
        string path = Path.Combine(_dir.Path, name);
        File.WriteAllText(path, content);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return path;
    }

    /// <summary>A client certificate signed by the CA of <see cref="MakePkiAsync"/> (call that first); the key 0600 as the agent requires.</summary>
    private async Task<(string Cert, string Key)> MakeClientCertificateAsync()
    {
        string d = _dir.Path;
        string key = Path.Combine(d, "client.key");
        foreach (string[] args in new[]
        {
            new[] { "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=diode-edge", "-keyout", key, "-out", Path.Combine(d, "client.csr") },
            ["x509", "-req", "-in", Path.Combine(d, "client.csr"), "-CA", Path.Combine(d, "ca.crt"), "-CAkey", Path.Combine(d, "ca.key"), "-CAcreateserial", "-days", "2", "-out", Path.Combine(d, "client.crt")],
        })
        {
            var (code, _, stderr) = await Tool.RunAsync("openssl", args);
            Assert.True(code == 0, stderr);
        }

        File.SetUnixFileMode(key, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return (Path.Combine(d, "client.crt"), key);
    }

    private sealed record Pki(string Ca, string ServerCert, string ServerKey);

    /// <summary>A CA and a server certificate for 127.0.0.1 signed by it, made with openssl as an operator would.</summary>
    private async Task<Pki> MakePkiAsync()
    {
        string d = _dir.Path;
        string ext = _dir.File("server.ext", "subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n");
        foreach (string[] args in new[]
        {
            new[] { "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=Diode.Edge test CA", "-keyout", Path.Combine(d, "ca.key"), "-out", Path.Combine(d, "ca.crt") },
            ["req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1", "-keyout", Path.Combine(d, "server.key"), "-out", Path.Combine(d, "server.csr")],
            ["x509", "-req", "-in", Path.Combine(d, "server.csr"), "-CA", Path.Combine(d, "ca.crt"), "-CAkey", Path.Combine(d, "ca.key"), "-CAcreateserial", "-days", "2", "-extfile", ext, "-out", Path.Combine(d, "server.crt")],
        })
        {
            var (code, _, stderr) = await Tool.RunAsync("openssl", args);
            Assert.True(code == 0, stderr);
        }

        return new Pki(Path.Combine(d, "ca.crt"), Path.Combine(d, "server.crt"), Path.Combine(d, "server.key"));
    }
}

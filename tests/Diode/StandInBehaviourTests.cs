using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Diode.Edge.Tests.Support;
using Nethereum.Signer;

namespace Diode.Edge.Tests.DiodeClient;

/// <summary>
/// The stand-in `diode` against the real client's lines and behaviour (docs/diode-client.md, from diode_client v1.18.8's source):
/// golden log lines, Go flag-package exits, Go signal behaviour, the key → address derivation, the config API and
/// its connection-client-id mapping, -fleet by version, a stale BlockQuick window cured only by -bqdowngrade.
/// </summary>
[Trait("Tier", Tiers.Integration)]
public sealed partial class StandInBehaviourTests : IDisposable
{
    private const string Info = "\u001b[34mINFO\u001b[0m ";

    private static readonly string StandIn = Path.Combine(RepoRoot.Path, "tests", "DiodeStandIn", "bin",
        new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name, "net10.0", "diode");

    private readonly string _dir = Directory.CreateTempSubdirectory("standin-").FullName;

    private string Db => Path.Combine(_dir, "private.db");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Version_prints_the_version_label_in_the_label_format()
    {
        using var run = Client.Start(StandIn, ["-dbpath=" + Db, "-update=false", "version"]);
        Assert.Equal(0, await run.ExitAsync());
        Assert.Equal(Info + "Diode Client version : v1.18.8 16 Jul 2026                       ", run.Err[0]);
        Assert.Equal(Info + $"{"OS Arch NumCPU",-20} : {$"linux {Arch} {Environment.ProcessorCount}",-42}", run.Err[1]);
        Assert.Empty(run.Out);
    }

    [Fact]
    public async Task A_flag_error_prints_the_usage_and_exits_zero()
    {
        using var run = Client.Start(StandIn, ["-bogus", "publish"]);
        Assert.Equal(0, await run.ExitAsync());
        Assert.Equal("flag provided but not defined: -bogus", run.Err[0]);
        Assert.Equal(["Name", "  diode - Diode network command line interface", "", "SYNOPSYS"], run.Out.Take(4));
        Assert.Contains("  publish      Publish ports of the local device to the Diode Network.", run.Err);

        using var bad = Client.Start(StandIn, ["-retrytimes=x", "version"]);
        Assert.Equal(0, await bad.ExitAsync());
        Assert.Equal("invalid value \"x\" for flag -retrytimes: parse error", bad.Err[0]);

        // Go bool flags take no separate value: "-update false" leaves "false" as the subcommand.
        using var boolValue = Client.Start(StandIn, ["-dbpath=" + Db, "-update", "false", "version"]);
        Assert.Equal(0, await boolValue.ExitAsync());
        Assert.Equal(["diode: 'false' is not a diode command. See 'diode --help'."], boolValue.Out);
    }

    [Fact]
    public async Task An_unknown_subcommand_exits_zero()
    {
        using var run = Client.Start(StandIn, ["-dbpath=" + Db, "x"]);
        Assert.Equal(0, await run.ExitAsync());
        Assert.Equal(["diode: 'x' is not a diode command. See 'diode --help'."], run.Out);
        Assert.Empty(run.Err);
    }

    [Fact]
    public async Task Publish_without_rules_exits_2_after_validating()
    {
        using var run = Client.Start(StandIn, ["-dbpath=" + Db, "-update=false", "publish"]);
        Assert.Equal(2, await run.ExitAsync());
        Assert.Contains("ERROR: Can't run publish without any arguments!", run.Out);
        Assert.Single(run.Err, l => l.StartsWith(Info + "Network is validated, last valid block: ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Publish_prints_the_start_lines_in_order_and_the_port_table_of_the_source()
    {
        using var run = Client.Start(StandIn, ["-dbpath=" + Db, "-update=false", "publish", "-protected", "8080:80", "-private", "22:2222,0xAbCd000000000000000000000000000000000001"]);
        await run.WaitForAsync(l => l.Contains("Port localhost:22 ", StringComparison.Ordinal));
        string[] plain = [.. run.Err.Select(Strip)];
        Assert.StartsWith("INFO Diode Client version : ", plain[0], StringComparison.Ordinal);
        Assert.Matches("^INFO Client address       : 0x[0-9a-f]{40}$", plain[1]);
        Assert.Equal("INFO Fleet address        : 0x6000000000000000000000000000000000000000", plain[2]);
        Assert.Equal("INFO Chain ID             : 1284", plain[3].TrimEnd());
        Assert.Matches("^INFO Network is validated, last valid block: [0-9]+ 0x[0-9a-f]{64}$", plain[4]);
        Assert.Equal("INFO Updated port configurations from control state", plain[5]);
        Assert.Equal("INFO Port      <name>     : <extern>     <mode>    <protocol>     <allowlist>", plain[6]);

        // docs/diode-client.md's sample row, and the exact padding of "%-20s : %-42s" around "%8d  %10s       %s        %s".
        Assert.Equal("INFO Port localhost:8080  :       80   protected       any", plain[7].TrimEnd());
        Assert.Equal(Info + "Port localhost:8080  :       80   protected       any            ", run.Err[7]);
        Assert.Equal("INFO Port localhost:22    :     2222     private       any        0xabcd000000000000000000000000000000000001", plain[8]);
        Assert.DoesNotContain(plain, l => l.Contains("onnected to host", StringComparison.Ordinal));
        run.Signal(2);
        Assert.Equal(0, await run.ExitAsync());
    }

    [Fact]
    public async Task Churn_drops_one_relay_at_a_time_with_the_real_EOF_line_and_validates_once()
    {
        using var run = Client.Start(StandIn, ["-dbpath=" + Db, "-update=false", "publish", "-protected", "8080:80"],
            ("DIODE_STANDIN_MODE", "churn"), ("DIODE_STANDIN_CHURN_MS", "100"));
        await run.WaitForAsync(l => l.Contains("closed unexpectedly", StringComparison.Ordinal), count: 6);
        var eof = run.Err.Where(l => l.Contains("closed unexpectedly", StringComparison.Ordinal)).ToList();
        Assert.All(eof, l => Assert.Matches(EofLine(), l));
        Assert.Single(run.Err, l => l.Contains("Network is validated", StringComparison.Ordinal));
        run.Signal(2);
        Assert.Equal(0, await run.ExitAsync());
    }

    [Fact]
    public async Task Sigterm_kills_at_once_by_the_signal()
    {
        // bash reports "Terminated" only for a child that died by SIGTERM, not for one that exited with 143.
        using var run = Client.Start("/bin/bash", ["-c", "\"$0\" \"$@\"; echo \"status=$?\" >&2", StandIn, "-dbpath=" + Db, "-update=false", "publish", "-protected", "8080:80"]);
        await run.WaitForAsync(l => l.Contains("Port localhost:8080", StringComparison.Ordinal));
        int child = int.Parse(File.ReadAllText($"/proc/{run.Pid}/task/{run.Pid}/children").Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        var clock = Stopwatch.StartNew();
        _ = Kill(child, 15);
        await run.ExitAsync();
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), clock.Elapsed.ToString());
        Assert.Contains(run.Err, l => l.Contains("Terminated", StringComparison.Ordinal));
        Assert.Contains("status=143", run.Err);
        Assert.DoesNotContain(run.Err, l => l.Contains("Stopping", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Sigint_prints_the_four_stop_lines_and_exits_zero()
    {
        using var run = Client.Start(StandIn, ["-dbpath=" + Db, "-update=false", "publish", "-protected", "8080:80"]);
        await run.WaitForAsync(l => l.Contains("Port localhost:8080", StringComparison.Ordinal));
        run.Signal(2);
        Assert.Equal(0, await run.ExitAsync());
        Assert.Equal(
            ["1/4 Stopping socksserver", "2/4 Stopping proxyserver", "3/4 Stopping configserver", "4/4 Stopping client manager"],
            run.Err.TakeLast(4).Select(l => l[Info.Length..]));
    }

    [Fact]
    public async Task The_client_address_is_computed_from_the_key_in_its_database()
    {
        // util/type_test.go's vector: 0x46…46 → 0x9d8a62f656a8d1615c1294fd71e9cfb3e4855a4f.
        Assert.Equal("0x9d8a62f656a8d1615c1294fd71e9cfb3e4855a4f", await ImportAndReadAddressAsync(string.Concat(Enumerable.Repeat("46", 32))));

        var key = EthECKey.GenerateKey();
        Assert.Equal(key.GetPublicAddress().ToLowerInvariant(), await ImportAndReadAddressAsync(Convert.ToHexStringLower(key.GetPrivateKeyAsBytes())));
    }

    [Fact]
    public async Task Config_set_private_fails_on_a_secp256k1_key_as_v1_18_8_does()
    {
        using var set = Client.Start(StandIn, ["-dbpath=" + Db, "-update=false", "config", "-set", "private=0x" + string.Concat(Enumerable.Repeat("46", 32))]);

        Assert.Equal(2, await set.ExitAsync());
        Assert.Contains(set.Err, l => Strip(l).Contains("Failed setting key", StringComparison.Ordinal) && l.Contains("x509: unknown elliptic curve", StringComparison.Ordinal));
        Assert.Contains(set.Err, l => Strip(l).Contains("Couldn't execute command: x509: unknown elliptic curve", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_config_api_requires_json_and_answers_in_the_sources_shape()
    {
        int api = LoopbackPort.Free();
        using var run = Client.Start(StandIn, ["-dbpath=" + Db, "-update=false", "-api", $"-apiaddr=127.0.0.1:{api}", "publish", "-protected", "8080:80"]);
        await run.WaitForAsync(l => l.Contains("Start config api server", StringComparison.Ordinal));
        Assert.Equal(Info + $"Start config api server 127.0.0.1:{api}", run.Err[^1]);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{api}") };

        using var bare = await http.GetAsync(new Uri("/config", UriKind.Relative));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, bare.StatusCode);
        Assert.Equal("{\"success\":false,\"message\":\"unsupported media type\"}", await bare.Content.ReadAsStringAsync());

        using var config = await Json(http, "/config");
        Assert.Equal(HttpStatusCode.OK, config.StatusCode);
        using var doc = JsonDocument.Parse(await config.Content.ReadAsStringAsync());
        var c = doc.RootElement.GetProperty("config");
        Assert.True(doc.RootElement.GetProperty("success").GetBoolean());
        Assert.Matches("^0x[0-9a-f]{40}$", c.GetProperty("client").GetString());
        Assert.Equal("0x6000000000000000000000000000000000000000", c.GetProperty("fleet").GetString());
        Assert.Equal("v1.18.8", c.GetProperty("version").GetString());
        Assert.Equal(
            "[{\"localPort\":8080,\"externPort\":80,\"protocol\":\"any\",\"mode\":\"protected\"}]",
            c.GetProperty("ports").GetRawText());
        Assert.Equal("[]", c.GetProperty("binds").GetRawText());

        using var noPeer = await Json(http, "/connection-client-id");
        Assert.Equal(HttpStatusCode.BadRequest, noPeer.StatusCode);
        Assert.Equal("{\"success\":false,\"message\":\"validation error\",\"error\":{\"peer\":\"required\"}}", await noPeer.Content.ReadAsStringAsync());
        using var unknown = await Json(http, "/connection-client-id?peer=127.0.0.1:1");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("{\"success\":false,\"message\":\"not found\"}", await unknown.Content.ReadAsStringAsync());
        run.Signal(2);
        Assert.Equal(0, await run.ExitAsync());
    }

    [Fact]
    public async Task Connection_client_id_resolves_a_forwarded_connection_while_it_is_open()
    {
        using var published = new TcpListener(IPAddress.Loopback, 0);
        published.Start();
        int local = ((IPEndPoint)published.LocalEndpoint).Port;
        int api = LoopbackPort.Free(), remote = LoopbackPort.Free();
        const string device = "0x00000000000000000000000000000000000000d1";
        using var run = Client.Start(StandIn, ["-dbpath=" + Db, "-update=false", "-api", $"-apiaddr=127.0.0.1:{api}", "publish", "-protected", $"{local}:80"],
            ("DIODE_STANDIN_REMOTES", $"{device}={remote}"));
        await run.WaitForAsync(l => l.Contains("Start config api server", StringComparison.Ordinal));
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{api}") };

        using var caller = new TcpClient();
        await caller.ConnectAsync(IPAddress.Loopback, remote);
        using var accepted = await published.AcceptTcpClientAsync().WaitAsync(TimeSpan.FromSeconds(10));
        string peer = accepted.Client.RemoteEndPoint!.ToString()!;
        using (var answer = await Json(http, $"/connection-client-id?peer={peer}"))
        {
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
            Assert.Equal($"{{\"clientId\":\"{device}\"}}\n", await answer.Content.ReadAsStringAsync());
            Assert.Equal("application/json", answer.Content.Headers.ContentType!.MediaType);
        }

        // Bytes flow both ways.
        await caller.GetStream().WriteAsync("ping"u8.ToArray());
        var buffer = new byte[4];
        await accepted.GetStream().ReadExactlyAsync(buffer);
        Assert.Equal("ping", Encoding.ASCII.GetString(buffer));
        await accepted.GetStream().WriteAsync("pong"u8.ToArray());
        await caller.GetStream().ReadExactlyAsync(buffer);
        Assert.Equal("pong", Encoding.ASCII.GetString(buffer));

        // ConnectedPort.close unregisters the peer.
        caller.Close();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        HttpStatusCode status;
        do
        {
            await Task.Delay(50);
            using var again = await Json(http, $"/connection-client-id?peer={peer}");
            status = again.StatusCode;
        }
        while (status == HttpStatusCode.OK && DateTime.UtcNow < deadline);
        Assert.Equal(HttpStatusCode.NotFound, status);
        run.Signal(2);
        Assert.Equal(0, await run.ExitAsync());
    }

    [Fact]
    public async Task Connection_client_id_does_not_exist_before_1_17_6()
    {
        int api = LoopbackPort.Free();
        using var run = Client.Start(StandIn, ["-dbpath=" + Db, "-update=false", "-api", $"-apiaddr=127.0.0.1:{api}", "publish", "-public", "8080:80"],
            ("DIODE_STANDIN_VERSION", "v1.17.5"));
        await run.WaitForAsync(l => l.Contains("Start config api server", StringComparison.Ordinal));
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{api}") };
        using var answer = await Json(http, "/connection-client-id");
        Assert.Equal(HttpStatusCode.NotFound, answer.StatusCode);
        Assert.Equal("{\"success\":false,\"message\":\"not found\"}", await answer.Content.ReadAsStringAsync());
        run.Signal(2);
        await run.ExitAsync();
    }

    [Theory]
    [InlineData("v1.18.4", "0x1234567890123456789012345678901234567890")]
    [InlineData("v1.18.8", "0x1234567890123456789012345678901234567890")]
    [InlineData("v1.18.3", "0x6000000000000000000000000000000000000000")]
    public async Task Fleet_flag_is_honoured_from_1_18_4(string version, string expected)
    {
        using var run = Client.Start(StandIn, ["-dbpath=" + Db, "-update=false", "-fleet=0x1234567890123456789012345678901234567890", "config", "-list"],
            ("DIODE_STANDIN_VERSION", version));
        Assert.Equal(0, await run.ExitAsync());
        Assert.Contains(Info + $"Fleet address        : {expected}", run.Err);
    }

    [Fact]
    public async Task A_stale_blockquick_window_survives_restarts_and_only_bqdowngrade_cures_it()
    {
        string[] publish = ["-dbpath=" + Db, "-update=false", "publish", "-protected", "8080:80"];
        await AssertNeverValidatesAsync(Client.Start(StandIn, publish, ("DIODE_STANDIN_STALE_BQ", "1")));
        await AssertNeverValidatesAsync(Client.Start(StandIn, publish));

        using (var cure = Client.Start(StandIn, ["-bqdowngrade", .. publish]))
        {
            await cure.WaitForAsync(l => l.Contains("Port localhost:8080", StringComparison.Ordinal));
            string[] plain = [.. cure.Err.Select(Strip)];
            Assert.Matches(@"^WARN Reset blockquick window after 5 consecutive validation failures server=[a-z0-9]+\.prenet\.diode\.io:41046 $", plain[4]);
            Assert.Matches(@"^WARN Reset blockquick window \(downgrade triggered by diode://0x[0-9a-f]{40}@[a-z0-9]+\.prenet\.diode\.io:41046\)$", plain[5]);
            Assert.StartsWith("INFO Network is validated", plain[6], StringComparison.Ordinal);
            cure.Signal(2);
            Assert.Equal(0, await cure.ExitAsync());
        }

        using var healthy = Client.Start(StandIn, publish);
        await healthy.WaitForAsync(l => l.Contains("Port localhost:8080", StringComparison.Ordinal));
        Assert.DoesNotContain(healthy.Err, l => l.Contains("blockquick", StringComparison.Ordinal));
        healthy.Signal(2);
        Assert.Equal(0, await healthy.ExitAsync());
    }

    [Fact]
    public async Task Offline_retries_every_relay_warns_once_per_host_and_never_validates()
    {
        using var run = Client.Start(StandIn, ["-dbpath=" + Db, "-update=false", "-diodeaddrs=a1.prenet.diode.io", "-diodeaddrs=a2.prenet.diode.io:41046", "publish", "-protected", "8080:80"],
            ("DIODE_STANDIN_MODE", "offline"), ("DIODE_STANDIN_RETRY_MS", "20"));
        await run.WaitForAsync(l => l.Contains("Client connect failed", StringComparison.Ordinal), count: 2);
        await Task.Delay(500);
        string[] plain = [.. run.Err.Select(Strip)];
        Assert.Contains("INFO Retry to connect (1/3), waiting 5s server=a1.prenet.diode.io:41046 ", plain);
        Assert.Contains(plain, l => Regex.IsMatch(l, @"^INFO Retry to connect \(2/3\), waiting [0-9.]+s server=a2\.prenet\.diode\.io:41046 $"));
        Assert.Single(plain, "WARN Client connect failed: failed to connect to host: a1.prenet.diode.io:41046 server=a1.prenet.diode.io:41046 ");
        Assert.DoesNotContain(plain, l => l.Contains("validated", StringComparison.Ordinal));

        // Before publish reaches Wait() no SIGINT handler exists: Go's default kills the process.
        run.Signal(2);
        Assert.Equal(130, await run.ExitAsync());
        Assert.DoesNotContain(plain, l => l.Contains("Stopping", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Drop_all_prints_an_EOF_per_relay_and_stops_forwarding()
    {
        using var published = new TcpListener(IPAddress.Loopback, 0);
        published.Start();
        int local = ((IPEndPoint)published.LocalEndpoint).Port, remote = LoopbackPort.Free();
        using var run = Client.Start(StandIn, ["-dbpath=" + Db, "-update=false", "publish", "-protected", $"{local}:80"],
            ("DIODE_STANDIN_MODE", "drop-all"), ("DIODE_STANDIN_AFTER_MS", "300"), ("DIODE_STANDIN_REMOTES", $"0x00000000000000000000000000000000000000d1={remote}"));
        await run.WaitForAsync(l => l.Contains("closed unexpectedly", StringComparison.Ordinal), count: 5);
        Assert.All(run.Err.Where(l => l.Contains("closed unexpectedly", StringComparison.Ordinal)), l => Assert.Matches(EofLine(), l));
        await run.WaitForAsync(l => l.Contains("Client connect failed", StringComparison.Ordinal), count: 6);
        using var caller = new TcpClient();
        await caller.ConnectAsync(IPAddress.Loopback, remote);
        Assert.Equal(0, await caller.GetStream().ReadAsync(new byte[1]).AsTask().WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.False(published.Pending());
    }

    [Fact]
    public async Task Silent_stops_every_line_and_the_api_but_stays_alive()
    {
        int api = LoopbackPort.Free();
        using var run = Client.Start(StandIn, ["-dbpath=" + Db, "-update=false", "-api", $"-apiaddr=127.0.0.1:{api}", "publish", "-protected", "8080:80"],
            ("DIODE_STANDIN_MODE", "silent"), ("DIODE_STANDIN_AFTER_MS", "200"));
        await run.WaitForAsync(l => l.Contains("Start config api server", StringComparison.Ordinal));
        await Task.Delay(600);
        int lines = run.Err.Count;
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{api}"), Timeout = TimeSpan.FromSeconds(1) };
        await Assert.ThrowsAsync<TaskCanceledException>(() => Json(http, "/config"));
        run.Signal(2);
        await Task.Delay(500);
        Assert.False(run.HasExited);
        Assert.Equal(lines, run.Err.Count);
    }

    [Fact]
    public async Task Not_published_logs_the_broken_route_and_forwarded_connections_fail()
    {
        using var published = new TcpListener(IPAddress.Loopback, 0);
        published.Start();
        int local = ((IPEndPoint)published.LocalEndpoint).Port, remote = LoopbackPort.Free();
        using var run = Client.Start(StandIn, ["-dbpath=" + Db, "-update=false", "publish", "-protected", $"{local}:8081"],
            ("DIODE_STANDIN_MODE", "not-published"), ("DIODE_STANDIN_AFTER_MS", "100"), ("DIODE_STANDIN_REMOTES", $"0x00000000000000000000000000000000000000d1={remote}"));
        await run.WaitForAsync(l => l.Contains("Port was not published", StringComparison.Ordinal));
        Assert.Matches(@"^INFO Port was not published port = 8081 server=[a-z0-9]+\.prenet\.diode\.io:41046 $", Strip(run.Err[^1]));
        using var caller = new TcpClient();
        await caller.ConnectAsync(IPAddress.Loopback, remote);
        Assert.Equal(0, await caller.GetStream().ReadAsync(new byte[1]).AsTask().WaitAsync(TimeSpan.FromSeconds(10)));
        await run.WaitForAsync(l => l.Contains("Port was not published", StringComparison.Ordinal), count: 2);
        Assert.False(published.Pending());
    }

    [Fact]
    public async Task Crash_prints_the_real_sample_and_exits_with_the_scripted_code()
    {
        using var run = Client.Start(StandIn, ["-dbpath=" + Db, "-update=false", "publish", "-protected", "8080:80"],
            ("DIODE_STANDIN_MODE", "crash"), ("DIODE_STANDIN_AFTER_MS", "400"));
        Assert.Equal(2, await run.ExitAsync());
        Assert.Equal("\u001b[31mERROR\u001b[0m Couldn't execute command: call to dead genserver", run.Err[^1]);
    }

    [Fact]
    public async Task Elsewhere_keeps_dropping_every_relay_but_validates_once()
    {
        using var run = Client.Start(StandIn, ["-dbpath=" + Db, "-update=false", "publish", "-protected", "8080:80"],
            ("DIODE_STANDIN_MODE", "elsewhere"), ("DIODE_STANDIN_CHURN_MS", "100"));
        await run.WaitForAsync(l => l.Contains("closed unexpectedly", StringComparison.Ordinal), count: 12);
        Assert.Single(run.Err, l => l.Contains("Network is validated", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Before_1_16_6_a_stale_window_logs_client_start_failed_per_relay_then_silence()
    {
        using var run = Client.Start(StandIn, ["-dbpath=" + Db, "-update=false", "publish", "-protected", "8080:80"],
            ("DIODE_STANDIN_STALE_BQ", "1"), ("DIODE_STANDIN_VERSION", "v1.16.5"), ("DIODE_STANDIN_RETRY_MS", "20"));
        await run.WaitForAsync(l => l.Contains("Client start failed", StringComparison.Ordinal), count: 5);
        Assert.All(run.Err.Skip(4).Select(Strip), l => Assert.Matches(
            @"^WARN Client start failed: couldn't validate any new blocks [0-9]+ < [0-9]+ server=[a-z0-9]+\.prenet\.diode\.io:41046 $", l));
        Assert.DoesNotContain(run.Err, l => l.Contains("validated", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Config_set_fleet_persists_in_the_db_and_config_list_prints_the_store()
    {
        using (var set = Client.Start(StandIn, ["-dbpath=" + Db, "-update=false", "config", "-set", "fleet=0xAbCdEf0000000000000000000000000000000001"]))
        {
            Assert.Equal(0, await set.ExitAsync());
            Assert.Equal("INFO Fleet address        : 0x6000000000000000000000000000000000000000", Strip(set.Err[2]));
            Assert.Equal(Info + $"{"Set:",-20} : {"fleet",-42}", set.Err[^1]);
        }

        Assert.True(File.Exists(Db + ".bck"));
        using var list = Client.Start(StandIn, ["-dbpath=" + Db, "-update=false", "config", "-list"]);
        Assert.Equal(0, await list.ExitAsync());
        string[] plain = [.. list.Err.Select(Strip)];
        Assert.Equal("INFO Fleet address        : 0xabcdef0000000000000000000000000000000001", plain[2]);
        Assert.Equal(["INFO <KEY>                : <VALUE>", "INFO fleet                : 0xabcdef0000000000000000000000000000000001"], plain[4..6].Select(l => l.TrimEnd()));
        Assert.Equal("INFO private              : <********************************>", plain[^1].TrimEnd());
    }

    [Fact]
    public async Task Debug_prints_the_relay_lines_with_the_configured_host()
    {
        using var run = Client.Start(StandIn, ["-dbpath=" + Db, "-update=false", "-debug", "-diodeaddrs=eu1.prenet.diode.io:41046", "publish", "-public", "8080:80"]);
        await run.WaitForAsync(l => l.Contains("Port localhost:8080", StringComparison.Ordinal));
        string[] plain = [.. run.Err.Select(Strip)];
        Assert.Contains("DEBUG Adding relay#0 [] @ eu1.prenet.diode.io:41046", plain);
        Assert.Contains(plain, l => Regex.IsMatch(l, @"^DEBUG Added relay#0 \[0x[0-9a-f]{40}\] @ eu1\.prenet\.diode\.io:41046$"));
        Assert.Contains(plain, l => l.StartsWith("INFO HTTP Gateway Enabled : http://0x", StringComparison.Ordinal) && l.TrimEnd().EndsWith(".diode.link/", StringComparison.Ordinal));
        run.Signal(2);
        Assert.Equal(0, await run.ExitAsync());
    }

    private static async Task AssertNeverValidatesAsync(Client run)
    {
        using (run)
        {
            await run.WaitForAsync(l => l.Contains("Chain ID", StringComparison.Ordinal));
            await Task.Delay(1500);
            Assert.Equal(4, run.Err.Count);
            run.Signal(15);
            await run.ExitAsync();
        }
    }

    /// <summary>
    /// Puts the key into the client's database the way the agent does (identity.shareWithDiode): as the SEC 1 PEM the
    /// client stores, here made by OpenSSL (an encoder of its own), then asks the client which address it is.
    /// </summary>
    private async Task<string> ImportAndReadAddressAsync(string keyHex)
    {
        var key = new Diode.Edge.Agent.Identity.DeviceKey(keyHex);
        byte[] pub = key.UncompressedPublicKey();
        using var ec = System.Security.Cryptography.ECDsa.Create(new System.Security.Cryptography.ECParameters
        {
            Curve = System.Security.Cryptography.ECCurve.CreateFromValue("1.3.132.0.10"),
            D = key.PrivateKeyBytes(),
            Q = new System.Security.Cryptography.ECPoint { X = pub[1..33], Y = pub[33..] },
        });
        Diode.Edge.Agent.Diode.DiodeDatabase.Put(Db, "private", System.Text.Encoding.ASCII.GetBytes(ec.ExportECPrivateKeyPem() + "\n"));

        using var list = Client.Start(StandIn, ["-dbpath=" + Db, "-update=false", "config", "-list"]);
        Assert.Equal(0, await list.ExitAsync());
        string line = Assert.Single(list.Err, l => l.StartsWith(Info + "Client address ", StringComparison.Ordinal));
        Assert.Contains(Info + $"{"<address>",-20} : {line[^42..],-42}", list.Err);
        return line[^42..];
    }

    private static Task<HttpResponseMessage> Json(HttpClient http, string path)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative)) { Content = new ByteArrayContent([]) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return http.SendAsync(request);
    }

    private static string Strip(string line) => line.Replace("\u001b[34m", "", StringComparison.Ordinal).Replace("\u001b[33m", "", StringComparison.Ordinal)
        .Replace("\u001b[31m", "", StringComparison.Ordinal).Replace("\u001b[35m", "", StringComparison.Ordinal).Replace("\u001b[0m", "", StringComparison.Ordinal);

    private static string Arch => System.Runtime.InteropServices.RuntimeInformation.OSArchitecture == System.Runtime.InteropServices.Architecture.Arm64 ? "arm64" : "amd64";

    [GeneratedRegex(@"^\u001b\[34mINFO\u001b\[0m Client connection closed unexpectedly: EOF server=[a-z0-9]+\.prenet\.diode\.io:41046 $")]
    private static partial Regex EofLine();

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill")]
    private static extern int Kill(int pid, int signal);

    /// <summary>One run of a child process, its stdout and stderr lines collected as they come.</summary>
    private sealed class Client : IDisposable
    {
        private readonly Process _process;
        private readonly List<string> _out = [];
        private readonly List<string> _err = [];
        private readonly SemaphoreSlim _line = new(0);

        private Client(Process process) => _process = process;

        public int Pid => _process.Id;

        public bool HasExited => _process.HasExited;

        public IReadOnlyList<string> Out
        {
            get
            {
                lock (_out)
                {
                    return [.. _out];
                }
            }
        }

        public IReadOnlyList<string> Err
        {
            get
            {
                lock (_err)
                {
                    return [.. _err];
                }
            }
        }

        public static Client Start(string path, string[] args, params (string Name, string Value)[] env)
        {
            var info = new ProcessStartInfo(path) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (string arg in args)
            {
                info.ArgumentList.Add(arg);
            }

            foreach (string name in info.Environment.Keys.Where(k => k.StartsWith("DIODE_STANDIN_", StringComparison.Ordinal)).ToList())
            {
                info.Environment.Remove(name);
            }

            foreach (var (name, value) in env)
            {
                info.Environment[name] = value;
            }

            var client = new Client(new Process { StartInfo = info });
            client._process.OutputDataReceived += (_, e) => client.Add(client._out, e.Data);
            client._process.ErrorDataReceived += (_, e) => client.Add(client._err, e.Data);
            client._process.Start();
            client._process.BeginOutputReadLine();
            client._process.BeginErrorReadLine();
            return client;
        }

        public async Task WaitForAsync(Func<string, bool> match, int count = 1)
        {
            var deadline = DateTime.UtcNow.AddSeconds(20);
            while (Err.Count(match) < count)
            {
                var left = deadline - DateTime.UtcNow;
                Assert.True(left > TimeSpan.Zero, "no such line in:\n" + string.Join('\n', Err));
                await _line.WaitAsync(left);
            }
        }

        public async Task<int> ExitAsync()
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            await _process.WaitForExitAsync(timeout.Token);
            return _process.ExitCode;
        }

        public void Signal(int signal) => _ = Kill(_process.Id, signal);

        public void Dispose()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(5000);
            }

            _process.Dispose();
            _line.Dispose();
        }

        private void Add(List<string> lines, string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (lines)
            {
                lines.Add(line);
            }

            _line.Release();
        }
    }
}

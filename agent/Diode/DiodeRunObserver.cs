namespace Diode.Edge.Agent.Diode;

/// <summary>
/// What one run of the client has said, from its lines alone (pure: no I/O, the time is passed in). Unit-tested on the
/// real client's lines. Relays are tracked one by one from their <c>server=</c> field; the pool heals a lost relay
/// silently (there is no positive line without <c>-debug</c>), so a relay counts as lost only until
/// <see cref="RelayHealWindow"/> has passed without another failure line for it, or until the network vouches for the
/// device again (a probe or a consumer connection through the client, see <see cref="ObserveReachable"/>).
/// </summary>
internal sealed class DiodeRunObserver(DateTimeOffset startedAt, int poolSize = DiodeRunObserver.DefaultPoolSize)
{
    /// <summary>The pool retries a host within 5–60 s (with jitter); a lost relay with no further failure line after this is taken as replaced.</summary>
    public static readonly TimeSpan RelayHealWindow = TimeSpan.FromSeconds(90);

    /// <summary>The client keeps this many relay connections (rpc/client_manager.go); fewer when <c>-diodeaddrs</c> names fewer hosts.</summary>
    public const int DefaultPoolSize = 5;

    /// <summary>The most relays remembered (a client given a long -diodeaddrs list cannot grow the table).</summary>
    public const int MaxRelays = 32;

    private readonly Dictionary<string, RelayEntry> _relays = new(StringComparer.OrdinalIgnoreCase);
    private bool _exact;

    public DateTimeOffset StartedAt { get; } = startedAt;

    public string? Version { get; private set; }

    public string? ClientAddress { get; private set; }

    public string? Fleet { get; private set; }

    public string? ClientName { get; private set; }

    public string? ChainId { get; private set; }

    /// <summary>When the client printed <c>Network is validated</c> (once per process).</summary>
    public DateTimeOffset? ValidatedAt { get; private set; }

    public string? ValidatedBlock { get; private set; }

    public List<string> PublishedPorts { get; } = [];

    /// <summary>The last time anything said the device is reachable: validation, a relay added, a probe or a consumer through the network.</summary>
    public DateTimeOffset? ReachableAt { get; private set; }

    /// <summary>The first relay loss or failure since the device was last known reachable.</summary>
    public DateTimeOffset? TroubleSince { get; private set; }

    public DateTimeOffset? PortNotPublishedAt { get; private set; }

    public string? PortNotPublishedLine { get; private set; }

    /// <summary>The client said its BlockQuick window is stale (<c>couldn't validate any new blocks</c>).</summary>
    public bool StaleBlockQuick { get; private set; }

    /// <summary>The client reset its BlockQuick window (<c>-bqdowngrade</c>).</summary>
    public bool BlockQuickReset { get; private set; }

    /// <summary>At least one relay failed to connect and none was ever reached: the Pi is offline or the nodes are.</summary>
    public bool Offline => ValidatedAt is null && _relays.Values.Any(r => r.State == RelayState.Failing) && _relays.Values.All(r => r.State != RelayState.Up) && !StaleBlockQuick;

    public string? LastError { get; private set; }

    /// <summary>The highest step of the SIGINT stop (<c>4/4 Stopping client manager</c> is 4).</summary>
    public int StopStep { get; private set; }

    public DateTimeOffset? LastLineAt { get; private set; }

    public IReadOnlyCollection<RelayEntry> Relays => _relays.Values;

    public void Apply(DiodeLogEvent e, string line, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(e);
        LastLineAt = now;
        switch (e.Kind)
        {
            case DiodeLogKind.Version:
                Version = e.Value;
                break;
            case DiodeLogKind.ClientAddress:
                ClientAddress = e.Value;
                break;
            case DiodeLogKind.FleetAddress:
                Fleet = e.Value;
                break;
            case DiodeLogKind.ChainId:
                ChainId = e.Value;
                break;
            case DiodeLogKind.ClientName:
                ClientName = e.Value;
                break;
            case DiodeLogKind.Validated:
                ValidatedAt ??= now;
                ValidatedBlock = e.Value;
                StaleBlockQuick = false;
                ObserveReachable(now);
                break;
            case DiodeLogKind.PortPublished:
                if (PublishedPorts.Count < 16 && e.Value is { } port && !PublishedPorts.Contains(port))
                {
                    PublishedPorts.Add(port);
                }

                break;
            case DiodeLogKind.RelayAdded:
                _exact = true;
                SetRelay(e.Server, RelayState.Up, line, now);
                break;
            case DiodeLogKind.RelayLost:
                SetRelay(e.Server, RelayState.Lost, line, now);
                TroubleSince ??= now;
                break;
            case DiodeLogKind.RelayFailed:
                SetRelay(e.Server, RelayState.Failing, line, now);
                TroubleSince ??= now;
                break;
            case DiodeLogKind.StaleBlockQuick:
                StaleBlockQuick = true;
                LastError = e.Value;
                SetRelay(e.Server, RelayState.Failing, line, now);
                TroubleSince ??= now;
                break;
            case DiodeLogKind.BlockQuickReset:
                BlockQuickReset = true;
                break;
            case DiodeLogKind.PortNotPublished:
                PortNotPublishedAt = now;
                PortNotPublishedLine = line;
                TroubleSince ??= now;
                break;
            case DiodeLogKind.CommandError:
                LastError = e.Value;
                break;
            case DiodeLogKind.StopStep:
                StopStep = Math.Max(StopStep, e.Value is { Length: 1 } step ? step[0] - '0' : 0);
                break;
        }
    }

    /// <summary>The network vouched for the device (a probe through it, or a consumer it forwarded): every relay doubt ends.</summary>
    public void ObserveReachable(DateTimeOffset now)
    {
        ReachableAt = now;
        TroubleSince = null;
        PortNotPublishedAt = null;
        if (_exact)
        {
            return;
        }

        // Without the client's own relay lines, a route that works is the best news about the pool there is.
        foreach (var relay in _relays.Values.Where(r => r.State != RelayState.Up).ToList())
        {
            _relays[relay.Server] = relay with { State = RelayState.Up, Since = now };
        }
    }

    /// <summary>
    /// Relays of the pool up now. Exact once the client names the relays it adds (<c>-debug</c>): those added and not
    /// lost since. Otherwise an estimate: the pool less those lost or failing within their heal window.
    /// </summary>
    public int RelaysUp(DateTimeOffset now) => _exact
        ? _relays.Values.Count(r => r.State == RelayState.Up)
        : ValidatedAt is null ? 0 : Math.Max(0, poolSize - RelaysDown(now));

    /// <summary>True once the client named the relays it adds, so <see cref="RelaysUp"/> is a count, not an estimate.</summary>
    public bool ExactRelays => _exact;

    public int PoolSize => poolSize;

    /// <summary>Relays lost or failing right now.</summary>
    public int RelaysDown(DateTimeOffset now) => _relays.Values.Count(r => _exact ? r.State != RelayState.Up : !IsUp(r, now));

    /// <summary>
    /// True when the whole pool is down: as many distinct relays lost or failing (within their heal window) as the pool
    /// holds. Only relays in trouble name themselves (a healthy one prints nothing), so fewer than that means some of the
    /// pool still carries the device.
    /// </summary>
    public bool AllRelaysDown(DateTimeOffset now) => _exact
        ? ValidatedAt is not null && _relays.Count > 0 && _relays.Values.All(r => r.State != RelayState.Up)
        : RelaysDown(now) >= Math.Max(1, poolSize);

    /// <summary>Since when the whole pool has been down (the moment the last relay of it went), or null while some relay is up.</summary>
    public DateTimeOffset? AllRelaysDownSince(DateTimeOffset now) => !AllRelaysDown(now) ? null
        : _exact ? _relays.Values.Max(r => r.Since)
        : _relays.Values.Where(r => !IsUp(r, now)).OrderByDescending(r => r.Since).Skip(Math.Max(1, poolSize) - 1).First().Since;

    private static bool IsUp(RelayEntry relay, DateTimeOffset now) =>
        relay.State == RelayState.Up || (relay.State == RelayState.Lost && now - relay.Since >= RelayHealWindow);

    /// <summary>One key per relay host: <c>server=us1.prenet.diode.io:41046</c> and <c>@ diode://0x…@us1.prenet.diode.io:41046</c> are the same relay.</summary>
    internal static string? RelayKey(string? server)
    {
        if (string.IsNullOrWhiteSpace(server))
        {
            return null;
        }

        var span = server.AsSpan().Trim();
        int at = span.LastIndexOf('@');
        span = at >= 0 ? span[(at + 1)..] : span.StartsWith("diode://", StringComparison.OrdinalIgnoreCase) ? span["diode://".Length..] : span;
        return span.ToString().ToLowerInvariant();
    }

    private void SetRelay(string? host, RelayState state, string line, DateTimeOffset now)
    {
        string? server = RelayKey(host);
        if (server is null || (!_relays.ContainsKey(server) && _relays.Count >= MaxRelays))
        {
            return;
        }

        // A relay that stays down keeps the moment it went down (its retries print again and again).
        var since = state != RelayState.Up && _relays.TryGetValue(server, out var before) && before.State != RelayState.Up ? before.Since : now;
        _relays[server] = new RelayEntry(server, state, since, line.Length > 300 ? line[..300] : line);
    }
}

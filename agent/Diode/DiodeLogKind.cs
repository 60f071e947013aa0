namespace Diode.Edge.Agent.Diode;

/// <summary>The kinds of the real client's log lines that the supervisor acts on (docs/diode-client.md has the lines).</summary>
internal enum DiodeLogKind
{
    Other,

    /// <summary><c>Diode Client version : v1.18.8 16 Jul 2026</c>.</summary>
    Version,

    /// <summary><c>Client address : 0x…</c>.</summary>
    ClientAddress,

    /// <summary><c>Fleet address : 0x…</c>.</summary>
    FleetAddress,

    /// <summary><c>Chain ID : 15</c>.</summary>
    ChainId,

    /// <summary><c>Client name : name.diode</c>.</summary>
    ClientName,

    /// <summary><c>Network is validated, last valid block: N 0x…</c>, printed once per process.</summary>
    Validated,

    /// <summary>A row of the port table: <c>Port localhost:8080  :       80   protected       any</c>.</summary>
    PortPublished,

    /// <summary><c>Added relay#N [0x…] @ host</c> (only with <c>-debug</c>): one relay of the pool is up.</summary>
    RelayAdded,

    /// <summary>One pooled relay connection went away (<c>Client connection closed unexpectedly: EOF server=…</c>, <c>… prematurely</c>, <c>server disconnected, reason: …</c>); the pool replaces it by itself.</summary>
    RelayLost,

    /// <summary>A relay could not be reached (<c>Client connect failed: …</c>, <c>Client start failed: …</c>, <c>Retry to connect …</c>).</summary>
    RelayFailed,

    /// <summary><c>Client start failed: couldn't validate any new blocks X &lt; Y server=…</c>: the BlockQuick window in the DB is stale; a restart does not cure it.</summary>
    StaleBlockQuick,

    /// <summary><c>Reset blockquick window after 5 consecutive validation failures</c> or <c>Global blockquick rebuild succeeded</c> (with <c>-bqdowngrade</c>).</summary>
    BlockQuickReset,

    /// <summary><c>Port was not published port = 8081 server=…</c> (diode_client #271): the route to the port is broken.</summary>
    PortNotPublished,

    /// <summary><c>Couldn't execute command: …</c>.</summary>
    CommandError,

    /// <summary><c>1/4 Stopping socksserver</c> … <c>4/4 Stopping client manager</c> after SIGINT; the value is the step.</summary>
    StopStep,
}

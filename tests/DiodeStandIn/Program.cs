// A test double of the real Diode client (`diode`, diodechain/diode_client v1.18.8), built from its source: the same
// global and subcommand flags with Go flag-package semantics, the same log lines in zap's consoleraw format on
// stderr, the same exit codes and signal behaviour, the same config API. See tests/README.md.
//
// Behaviour is scripted with environment variables:
//   DIODE_STANDIN_MODE            healthy (default) | churn | offline | drop-all | silent | not-published | stale-bq
//                                 | elsewhere | crash
//       healthy        five pooled relays connect; "Network is validated, …" once; ports published; stays up.
//       churn          every DIODE_STANDIN_CHURN_MS one relay drops ("Client connection closed unexpectedly: EOF
//                      server=…") and is replaced silently; never the last one.
//       offline        no relay ever connects: "Retry to connect (i/n), waiting …" per attempt, "Client connect
//                      failed: …" warned once per host; never validated, nothing published, no API.
//       drop-all       healthy, then DIODE_STANDIN_AFTER_MS after the port table every relay drops with its EOF line
//                      and none comes back ("Client connect failed" once per host); forwarding stops.
//       silent         healthy, then DIODE_STANDIN_AFTER_MS after the port table: no line ever again, forwarded and
//                      API connections are accepted and never served, SIGINT is ignored (the #71 hang).
//       not-published  healthy, then "Port was not published port = N server=…" (after DIODE_STANDIN_AFTER_MS and
//                      for every forwarded connection, which fails).
//       stale-bq       plants a stale BlockQuick window in the DB (see DIODE_STANDIN_STALE_BQ).
//       elsewhere      the identity runs elsewhere too (#298): every relay keeps dropping with EOF, for ever.
//       crash          DIODE_STANDIN_AFTER_MS after start: "ERROR Couldn't execute command: call to dead genserver",
//                      exit DIODE_STANDIN_EXIT_CODE (default 2, main's status for a command error).
//   DIODE_STANDIN_VERSION         the simulated version (default v1.18.8): -fleet is honoured from v1.18.4,
//                                 /connection-client-id exists from v1.17.6, a stale window logs "Client start
//                                 failed: couldn't validate any new blocks X < Y" only before v1.16.6.
//   DIODE_STANDIN_BUILDTIME       the build time in the version label (default "16 Jul 2026").
//   DIODE_STANDIN_AFTER_MS        when drop-all / silent / not-published / crash strike (default 500).
//   DIODE_STANDIN_CHURN_MS        churn period, and the EOF period of elsewhere (default 300).
//   DIODE_STANDIN_CONNECT_DELAY_MS  how long a relay takes to connect and validate (default 50).
//   DIODE_STANDIN_RETRY_MS        the real wait behind "Retry to connect … waiting 5s" and host backoff (default 100).
//   DIODE_STANDIN_EXIT_CODE       crash's exit code (default 2).
//   DIODE_STANDIN_STALE_BQ=1      plant a stale BlockQuick window in the DB at -dbpath. It persists across runs:
//                                 v1.18.8 then never validates and prints nothing after "Chain ID"; a run with
//                                 -bqdowngrade prints "Reset blockquick window after 5 consecutive validation
//                                 failures server=…" and "Reset blockquick window (downgrade triggered by …)", clears
//                                 it and validates.
//   DIODE_STANDIN_CLIENT_NAME     a BNS name: "Client name : <name>.diode", and the gateway URL uses it.
//   DIODE_STANDIN_REMOTES         "0xAddr=PORT[:EXTERN];…": remote devices. Each listens on 127.0.0.1:PORT; every
//                                 connection there opens a NEW connection to the published port EXTERN (default
//                                 the first) and is copied both ways; GET /connection-client-id?peer=<local end of
//                                 that new connection> answers {"clientId":"0xaddr"} while it is open.
//   DIODE_STANDIN_ARGS_FILE       append each invocation's argv (space-joined) as one line.
//   DIODE_STANDIN_IGNORE_SIGTERM=1  ignore SIGTERM (not something the real client does; for SIGKILL-escalation tests).
// Signals as in Go: SIGTERM kills at once (default disposition); SIGINT kills the same way until publish is up, then
// prints "1/4 Stopping socksserver" … "4/4 Stopping client manager" and exits 0.
using Diode.Edge.Tests.DiodeStandIn;

return await DiodeApp.RunAsync(args);

// The page of `diode-edge fleet serve`: the fleet's table, polled from fleet/status.json. The server passes each
// device's raw signed identity statement and signed deployment status; this page recovers their signers itself with
// the dashboard's verify.js and marks a row verified only if they check out here, whatever the server says.
import "./fleet.css";
import { verifyIdentity, recoverSigner, parseAddress } from "../verify.js";

const $ = (selector) => document.querySelector(selector);
const verdicts = new Map(); // "statement\nsig" -> verdict: the identity statement is the same poll after poll

function cell(text, className, attributes = {}) {
  const node = document.createElement("td");
  if (className) node.className = className;
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
  node.textContent = text;
  return node;
}

function memo(key, check) {
  if (!verdicts.has(key)) {
    if (verdicts.size > 10000) verdicts.clear();
    verdicts.set(key, check());
  }
  return verdicts.get(key);
}

/** The row as proven in this browser: {ok, reason, address, version, deployment}. Never throws. */
export function verifyRow(row) {
  let address;
  let version;
  try {
    const identity = row.identity;
    if (!identity) return { ok: false, reason: row.state === "unreachable" ? "unreachable: no identity to verify" : "no identity to verify" };
    const proven = memo(`${identity.statement}\n${identity.sig}\n${identity.address}`, () => verifyIdentity(identity));
    const statement = JSON.parse(identity.statement);
    if (statement.kind !== "diode-edge/identity") throw new Error("the statement is not a diode-edge identity");
    if (row.expected) {
      const expected = parseAddress(row.expected);
      const client = statement.client == null ? null : parseAddress(statement.client);
      if (expected !== proven && expected !== client) throw new Error(`listed as ${row.expected}, but the identity names device ${proven} and client ${statement.client ?? "(none)"}`);
    }
    address = proven; // the device listed, proven by its own signature
    version = String(statement.agent ?? "").replace(/^diode-edge\//, "");
    const signed = row.deploymentStatus;
    if (!signed) return { ok: false, reason: "no signed deployment status to verify", address, version };
    const signer = recoverSigner(signed.statement, signed.sig);
    if (signer !== address) throw new Error(`the deployment status is signed by ${signer}, not by the device ${address}`);
    const status = JSON.parse(signed.statement);
    if (status.kind !== "diode-edge/deployment-status" || parseAddress(status.device) !== address) throw new Error("the deployment status is not this device's");
    return { ok: true, address, version, deployment: status };
  } catch (e) {
    // What was proven before the failure (the identity, when the deployment status fails) is still shown as proven.
    return { ok: false, reason: e instanceof Error ? e.message : String(e), address, version };
  }
}

function age(seconds) {
  if (seconds == null) return "-";
  if (seconds < 10) return `${seconds.toFixed(1)}s ago`;
  if (seconds < 120) return `${Math.round(seconds)}s ago`;
  if (seconds < 7200) return `${Math.round(seconds / 60)}m ago`;
  if (seconds < 172800) return `${Math.round(seconds / 3600)}h ago`;
  return `${Math.round(seconds / 86400)}d ago`;
}

function deploymentText(d) {
  if (!d) return "-";
  return d.seq === d.appliedSeq ? `seq ${d.seq} ${d.state}` : `seq ${d.seq} ${d.state}, runs ${d.appliedSeq}`;
}

const shown = [];

function render(answer) {
  const rows = answer.report.rows;
  const body = document.createDocumentFragment();
  shown.length = 0;
  let verified = 0;
  for (const row of rows) {
    const proof = verifyRow(row);
    if (proof.ok) verified++;
    shown.push({ given: row.given, address: proof.address ?? null, verified: proof.ok, reason: proof.reason ?? null, serverState: row.state });
    const tr = document.createElement("tr");
    tr.dataset.verified = String(proof.ok);
    tr.dataset.given = row.given;
    const mark = cell(proof.ok ? "✔ verified" : "✖ unverified", "mark");
    if (!proof.ok) {
      const why = document.createElement("span");
      why.className = "problem";
      why.textContent = proof.reason;
      mark.append(why);
    }
    tr.append(
      mark,
      cell(row.given),
      // Only what this browser proved: an address the server claims but the page could not verify is not shown as one.
      cell(proof.address ?? "-", "address"),
      cell(proof.version ?? "-"),
      cell(proof.ok ? deploymentText(proof.deployment) : "-"),
      cell(row.health ?? "-", null, { "data-health": row.health ?? "unknown" }),
      cell(age(row.lastFrameAgeSeconds)),
      cell(row.watchdogReset == null ? "-" : row.watchdogReset ? "reset it" : "no reset"),
      cell(row.diode ?? "-"),
    );
    const server = cell(row.state);
    for (const problem of row.problems) {
      const line = document.createElement("span");
      line.className = "problem";
      line.textContent = problem;
      server.append(line);
    }
    tr.append(server);
    body.append(tr);
  }
  $("#rows").replaceChildren(body);
  const summary = $("#summary");
  summary.dataset.state = verified === rows.length ? "ok" : "problem";
  summary.textContent = `${verified} of ${rows.length} devices verified in this browser`;
  $("#polled").textContent = `polled ${new Date(answer.report.at).toLocaleTimeString()} in ${(answer.report.elapsedMs / 1000).toFixed(1)} s, every ${answer.intervalSeconds} s`;
  document.body.dataset.polls = String(Number(document.body.dataset.polls ?? 0) + 1);
}

async function poll() {
  let interval = 10;
  try {
    const response = await fetch("fleet/status.json", { cache: "no-store" });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const answer = await response.json();
    interval = answer.intervalSeconds;
    render(answer);
  } catch (e) {
    $("#polled").textContent = `the server did not answer (${e instanceof Error ? e.message : e}); trying again`;
  }
  setTimeout(poll, Math.max(1, interval) * 1000);
}

// For tests and the curious: what the page shows, as it verified it.
window.diodeEdgeFleet = { rows: () => shown.map((r) => ({ ...r })), polls: () => Number(document.body.dataset.polls ?? 0) };
poll();

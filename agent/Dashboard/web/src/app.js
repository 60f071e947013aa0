// The diode-edge dashboard: live charts of every stream, each frame verified in this browser against the device's
// address, and the agent's health. Served at GET / by the agent and by relays; every URL here is relative, so the
// page works behind a relay, a Diode hostname or a path prefix alike.
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import "./app.css";
import { verifyIdentity, verifyFrame, comparePosition } from "./verify.js";
import { displayUnit, displayQuantity, formatValue } from "./units.js";

const MAX_POINTS = 600; // points kept per stream (10 min at 1 frame/s): memory stays bounded
const HISTORY = 300; // frames fetched to fill a chart on load
const HEALTH_EVERY_MS = 5000;
const PALETTE = ["#2f80ed", "#eb5757", "#27ae60", "#f2994a", "#9b51e0", "#56ccf2", "#bdbdbd"];

const $ = (selector, root = document) => root.querySelector(selector);

function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (key === "class") node.className = value;
    else node.setAttribute(key, value);
  }
  for (const child of children) node.append(child);
  return node;
}

/** Exponential backoff with full jitter, 1 s to 30 s. */
function backoff(attempt) {
  const ceiling = Math.min(30000, 1000 * 2 ** attempt);
  return 500 + Math.random() * (ceiling - 500);
}

/** "250ms", "5s", "1m", "1h30m" (as /streams writes intervals) in seconds; 1 when unreadable. */
function parseInterval(text) {
  let seconds = 0;
  for (const [, amount, unit] of String(text).matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d)/g)) {
    seconds += Number(amount) * { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400 }[unit];
  }
  return seconds > 0 ? seconds : 1;
}

/** Axis labels in local time: hh:mm, with seconds when the chart spans less than five minutes. */
function timeLabels(u, splits) {
  const span = (u.scales.x.max ?? 0) - (u.scales.x.min ?? 0);
  const options = span < 300 ? { hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23" } : { hour: "2-digit", minute: "2-digit", hourCycle: "h23" };
  return splits.map((t) => new Date(t * 1000).toLocaleTimeString([], options));
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** The verified/unverified badge: verified once frames verify and none failed; a failure is never hidden again. */
class Badge {
  constructor(node) {
    this.node = node;
    this.verified = 0;
    this.rejected = 0;
    this.identityProblem = null;
    this.lastRejection = null;
    this.render();
  }

  identityFailed(reason) {
    this.identityProblem = reason;
    this.render();
  }

  accepted() {
    this.verified++;
    if (this.verified === 1 || this.verified % 10 === 0) this.render();
  }

  rejectedFrame(streamId, reason) {
    this.rejected++;
    this.lastRejection = `${streamId}: ${reason}`;
    this.render();
  }

  get state() {
    if (this.identityProblem || this.rejected > 0) return "unverified";
    return this.verified > 0 ? "verified" : "waiting";
  }

  render() {
    const state = this.state;
    this.node.dataset.state = state;
    this.node.dataset.verified = String(this.verified);
    this.node.dataset.rejected = String(this.rejected);
    if (state === "verified") {
      this.node.textContent = "✔ verified";
      this.node.title = `${this.verified} frames verified against the device address in this browser`;
    } else if (state === "unverified") {
      this.node.textContent = this.identityProblem ? "✖ unverified identity" : `✖ unverified: ${this.rejected} forged frame${this.rejected === 1 ? "" : "s"} rejected`;
      this.node.title = this.identityProblem ?? `last: ${this.lastRejection}`;
      $("#alert").hidden = false;
      $("#alert").textContent = this.identityProblem
        ? `The device's identity could not be verified: ${this.identityProblem}`
        : `A frame that is not signed by this device was received and dropped (${this.lastRejection}). Something between the device and this page altered or forged it.`;
    } else {
      this.node.textContent = "… waiting for frames";
      this.node.title = "no frame verified yet";
    }
  }
}

/** One stream: its card, its chart and its live feed (SSE, resumed after drops without gaps or repeats). */
class StreamView {
  constructor(info, device, badge, container) {
    this.id = info.id;
    this.device = device;
    this.badge = badge;
    this.quantities = info.quantities;
    this.gapSeconds = Math.max(5, 3 * parseInterval(info.interval)); // a longer pause in the data is drawn as a gap
    this.last = null; // {epoch, seq} of the newest accepted frame
    this.xs = [];
    this.ys = info.quantities.map(() => []);
    this.verified = 0;
    this.rejected = 0;
    this.gaps = 0;
    this.pending = false;
    this.connected = false;
    this.buildCard(info, container);
  }

  buildCard(info, container) {
    this.values = new Map();
    const values = el("div", { class: "values" });
    for (const q of this.quantities) {
      const value = el("span", { class: "value" }, "–");
      values.append(el("div", { class: "reading" }, el("span", { class: "quantity" }, displayQuantity(q.name)), value, el("span", { class: "unit" }, displayUnit(q.unit))));
      this.values.set(q.name, value);
    }
    this.status = el("span", { class: "stream-status" }, "connecting");
    this.footer = el("footer", {}, "");
    this.chartNode = el("div", { class: "chart" });
    this.card = el(
      "article",
      { class: "card", "data-stream": info.id, "data-points": "0", "data-verified": "0", "data-rejected": "0" },
      el("header", {}, el("h2", {}, info.id), el("span", { class: "meta" }, `${info.type} · every ${info.interval}`), this.status),
      values,
      this.chartNode,
      this.footer,
    );
    container.append(this.card);
    this.createChart();
  }

  createChart() {
    const units = [...new Set(this.quantities.map((q) => q.unit))];
    const scales = { x: { time: true } };
    for (const unit of units) scales[unit] = { auto: true };
    const axes = [{ stroke: "#8a94a6", grid: { stroke: "#8a94a620" }, ticks: { stroke: "#8a94a640" }, values: timeLabels, space: 70 }];
    units.slice(0, 2).forEach((unit, i) =>
      axes.push({
        scale: unit,
        side: i === 0 ? 3 : 1,
        label: displayUnit(unit),
        labelSize: 18,
        size: 52,
        stroke: "#8a94a6",
        grid: { show: i === 0, stroke: "#8a94a620" },
        ticks: { stroke: "#8a94a640" },
      }),
    );
    const series = [{}].concat(
      this.quantities.map((q, i) => ({
        label: `${displayQuantity(q.name)}${displayUnit(q.unit) ? ` (${displayUnit(q.unit)})` : ""}`,
        scale: q.unit,
        stroke: PALETTE[i % PALETTE.length],
        width: 1.5,
        points: { show: false },
        value: (_, v) => (v == null ? "–" : formatValue(v)),
      })),
    );
    this.chart = new uPlot({ width: this.chartWidth(), height: 200, scales, axes, series, legend: { live: false } }, [this.xs, ...this.ys], this.chartNode);
    new ResizeObserver(() => this.chart.setSize({ width: this.chartWidth(), height: 200 })).observe(this.chartNode);
  }

  chartWidth() {
    return Math.max(200, Math.floor(this.chartNode.clientWidth || this.card.clientWidth - 24));
  }

  /** Verifies and adds one frame (text or parsed); returns false when it was refused. */
  accept(frame) {
    const result = verifyFrame(frame, this.device, this.id);
    if (!result.ok) {
      this.rejected++;
      this.card.dataset.rejected = String(this.rejected);
      this.card.classList.add("forged");
      this.badge.rejectedFrame(this.id, result.reason);
      return false;
    }
    const p = result.payload;
    if (this.last && comparePosition(p, this.last) <= 0) return true; // a repeat after a resume: already shown
    if (this.last && p.epoch === this.last.epoch && p.seq !== this.last.seq + 1) this.gaps += p.seq - this.last.seq - 1;
    this.last = { epoch: p.epoch, seq: p.seq };
    this.verified++;
    this.badge.accepted();
    const x = Date.parse(p.ts) / 1000;
    const previous = this.xs.length > 0 ? this.xs[this.xs.length - 1] : null;
    if (previous !== null && (p.epoch !== this.lastEpoch || x - previous > this.gapSeconds)) {
      // the agent restarted or the sensor paused: a break in the line, not a straight line across the gap
      this.xs.push((previous + x) / 2);
      for (const y of this.ys) y.push(null);
    }
    this.lastEpoch = p.epoch;
    this.xs.push(x);
    this.quantities.forEach((q, i) => {
      const v = p.values[q.name];
      this.ys[i].push(typeof v === "number" ? v : typeof v === "boolean" ? Number(v) : null);
    });
    if (this.xs.length > MAX_POINTS) {
      this.xs.splice(0, this.xs.length - MAX_POINTS);
      for (const y of this.ys) y.splice(0, y.length - MAX_POINTS);
    }
    for (const [name, node] of this.values) if (name in p.values) node.textContent = formatValue(p.values[name]);
    this.lastTs = p.ts;
    this.scheduleRender();
    return true;
  }

  scheduleRender() {
    if (this.pending) return;
    this.pending = true;
    requestAnimationFrame(() => {
      this.pending = false;
      this.chart.setData([this.xs, ...this.ys]);
      this.card.dataset.points = String(this.chart.data[0].length);
      this.card.dataset.verified = String(this.verified);
      this.card.dataset.seq = this.last ? `${this.last.epoch}-${this.last.seq}` : "";
      this.card.dataset.gaps = String(this.gaps);
      this.footer.textContent = this.last ? `seq ${this.last.seq} · ${new Date(this.lastTs).toLocaleTimeString()} · ${this.verified} verified${this.gaps ? ` · ${this.gaps} missed` : ""}` : "";
    });
  }

  setConnected(connected, text) {
    this.connected = connected;
    this.status.textContent = text;
    this.status.dataset.state = connected ? "live" : "down";
    updateConnection();
  }

  /** Fills the chart from history, then follows the live stream for as long as the page is open. */
  async run() {
    try {
      const response = await fetch(`streams/${encodeURIComponent(this.id)}/history?limit=${HISTORY}${this.last ? `&since=${this.last.epoch}-${this.last.seq}` : ""}`, { cache: "no-store" });
      if (response.ok) for (const frame of await response.json()) this.accept(frame);
    } catch {
      // the live feed below retries; history is a nicety
    }
    for (let attempt = 0; ; ) {
      const opened = await this.follow();
      attempt = opened ? 0 : attempt + 1;
      const delay = backoff(attempt);
      this.setConnected(false, `reconnecting in ${Math.ceil(delay / 1000)} s`);
      await sleep(delay);
    }
  }

  /**
   * One EventSource until it closes for good. The browser itself reconnects after a dropped connection (sending
   * Last-Event-ID); when the server refuses it (503 while the agent restarts, a relay beyond its limits) the
   * EventSource closes, and the next one resumes after the last frame shown with ?lastEventId=.
   */
  follow() {
    return new Promise((resolve) => {
      const resume = this.last ? `?lastEventId=${this.last.epoch}-${this.last.seq}` : "";
      const source = new EventSource(`streams/${encodeURIComponent(this.id)}/events${resume}`);
      let opened = false;
      source.onopen = () => {
        opened = true;
        this.setConnected(true, "live");
      };
      source.addEventListener("frame", (event) => this.accept(event.data));
      source.onerror = () => {
        if (source.readyState === EventSource.CLOSED) {
          source.close();
          resolve(opened);
        } else {
          this.setConnected(false, "reconnecting");
        }
      };
    });
  }
}

const views = [];

let wakeHealth = () => {};

function updateConnection() {
  const node = $("#connection");
  const live = views.filter((v) => v.connected).length;
  const state = views.length > 0 && live === views.length ? "live" : live > 0 ? "partial" : "down";
  if (state !== node.dataset.state) wakeHealth(); // the panel follows at once (consumers, the agent back after a restart)
  node.dataset.state = state;
  node.textContent = views.length === 0 ? "connecting" : live === views.length ? "● live" : `○ ${views.length - live} of ${views.length} streams reconnecting`;
}

const ORDER = ["host", "watchdog", "diode", "relay", "streams", "store", "mqtt", "deployments"];
const SHOWN = {
  host: ["uptimeSeconds", "version"],
  watchdog: ["mode", "timeoutSeconds", "pets", "lastRebootByWatchdog"],
  diode: ["state", "node", "version", "restarts", "failingForSeconds"],
  relay: ["framesForwarded", "framesRejected", "reconnects"],
  mqtt: ["connected", "backlog", "framesPublished", "reconnects", "framesLost"],
  streams: ["consumers", "framesPublished", "framesDroppedForSlowConsumers"],
  store: ["frames", "sizeBytes", "framesDropped", "writeErrors"],
  sensor: ["state", "breaker", "successRate", "failures", "critical"],
  deployments: ["appliedSeq", "state", "lastRejected"],
};

// The deployment the device runs as its signed identity statement names it (null: it takes no fleet deployments).
let signedDeployment = null;
let deviceAddress = null;

function showDeployment(deployment) {
  signedDeployment = deployment ?? null;
  const node = $("#deployment");
  node.hidden = signedDeployment == null;
  if (signedDeployment) {
    node.textContent = signedDeployment.appliedSeq > 0 ? `deployment ${signedDeployment.appliedSeq} · ${signedDeployment.state}` : `no deployment · ${signedDeployment.state}`;
    node.dataset.state = signedDeployment.state;
  }
}

/** The health panel shows a deployment the signed statement does not name yet (applied, rolled back): read the statement again. */
async function refreshSignedDeployment(component) {
  if (!deviceAddress || !component || component.appliedSeq === undefined) return;
  if (signedDeployment && signedDeployment.appliedSeq === component.appliedSeq && signedDeployment.state === component.state) return;
  try {
    const response = await fetch("identity", { cache: "no-store" });
    if (!response.ok) return;
    const identity = await response.json();
    if (verifyIdentity(identity) !== deviceAddress) return; // a different device answers: the frames' badge will say so
    showDeployment(JSON.parse(identity.statement).deployment);
  } catch {
    // the next health answer tries again
  }
}

function formatData(key, value) {
  if (key === "sizeBytes") return `${(value / 1048576).toFixed(1)} MB`;
  if (key === "uptimeSeconds") return value >= 3600 ? `${(value / 3600).toFixed(1)} h` : `${value} s`;
  if (key === "successRate") return `${(value * 100).toFixed(0)} %`;
  return String(value);
}

function renderHealth(report) {
  const panel = $("#health-body");
  const entries = Object.entries(report.components ?? {});
  const rank = ([name]) => (name.startsWith("sensor:") ? ORDER.length : ORDER.indexOf(name) === -1 ? ORDER.length + 1 : ORDER.indexOf(name));
  entries.sort((a, b) => rank(a) - rank(b) || a[0].localeCompare(b[0]));
  const rows = entries.map(([name, component]) => {
    const keys = SHOWN[name.startsWith("sensor:") ? "sensor" : name] ?? [];
    const data = keys.filter((k) => component[k] !== undefined).map((k) => el("span", { class: "datum" }, `${k} ${formatData(k, component[k])}`));
    return el(
      "li",
      { class: "component", "data-component": name, "data-status": component.status },
      el("span", { class: "pill" }, component.status),
      el("span", { class: "name" }, name),
      el("span", { class: "detail" }, component.detail ?? ""),
      el("span", { class: "data" }, ...data),
    );
  });
  panel.replaceChildren(...rows);
  const overall = $("#health-status");
  overall.textContent = report.status;
  overall.dataset.status = report.status;
  $("#version").textContent = report.version ? `v${report.version}` : "";
  refreshSignedDeployment(report.components?.deployments);
}

async function pollHealth() {
  for (;;) {
    try {
      const response = await fetch("health", { cache: "no-store" });
      renderHealth(await response.json()); // 503 carries the same JSON
      $("#health").dataset.stale = "false";
    } catch {
      $("#health").dataset.stale = "true";
      $("#health-status").textContent = "unreachable";
      $("#health-status").dataset.status = "unreachable";
    }
    await new Promise((resolve) => {
      const timer = setTimeout(resolve, HEALTH_EVERY_MS);
      wakeHealth = () => {
        clearTimeout(timer);
        setTimeout(resolve, 200);
      };
    });
  }
}

/** GET /identity until it answers: the device address every frame must be signed by. */
async function loadIdentity(badge) {
  for (let attempt = 0; ; attempt++) {
    try {
      const response = await fetch("identity", { cache: "no-store" });
      if (response.ok) {
        const identity = await response.json();
        try {
          const address = verifyIdentity(identity);
          $("#device").textContent = address;
          $("#device").title = identity.fleet ? `fleet ${identity.fleet}` : "no fleet";
          deviceAddress = address;
          showDeployment(JSON.parse(identity.statement).deployment);
          return address;
        } catch (e) {
          badge.identityFailed(e.message);
          return null;
        }
      }
    } catch {
      // not reachable yet
    }
    $("#connection").textContent = "waiting for the agent";
    await sleep(backoff(attempt));
  }
}

async function loadStreams() {
  for (let attempt = 0; ; attempt++) {
    try {
      const response = await fetch("streams", { cache: "no-store" });
      if (response.ok) return await response.json();
    } catch {
      // not reachable yet
    }
    await sleep(backoff(attempt));
  }
}

async function main() {
  const badge = new Badge($("#badge"));
  // Read-only view for scripts and tests (the browser console, playwright): what each chart holds.
  window.diodeEdge = {
    badge: () => ({ state: badge.state, verified: badge.verified, rejected: badge.rejected, identityProblem: badge.identityProblem }),
    deployment: () => signedDeployment,
    streams: () => views.map((v) => ({ id: v.id, points: v.chart.data[0].length, last: v.last, verified: v.verified, rejected: v.rejected, gaps: v.gaps, connected: v.connected, series: v.quantities.map((q, i) => ({ name: q.name, unit: q.unit, values: v.chart.data[i + 1].filter((y) => y != null) })) })),
  };
  pollHealth();
  const device = await loadIdentity(badge);
  if (!device) return;
  const container = $("#streams");
  const known = new Set();
  for (;;) {
    for (const info of await loadStreams()) {
      if (known.has(info.id)) continue;
      known.add(info.id);
      const view = new StreamView(info, device, badge, container);
      views.push(view);
      view.run();
    }
    $("#empty").hidden = known.size > 0;
    updateConnection();
    await sleep(30000); // streams added by a restart with a new config appear without a reload
  }
}

main();

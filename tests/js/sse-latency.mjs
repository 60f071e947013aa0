// Latency of N consumers of one SSE stream, measured in a process of its own (SlowConsumerTests runs it, so that a
// pause of the test process, whose heap holds what hundreds of earlier tests left, is not counted against the agent).
//   node sse-latency.mjs URL CONSUMERS SKIP_SECONDS MEASURE_SECONDS
// Opens CONSUMERS connections to URL (a /streams/<id>/events address), reads every event, and for each event received
// after SKIP_SECONDS takes now minus the payload's "ts" (milliseconds; the agent and this process share the clock).
// After SKIP_SECONDS + MEASURE_SECONDS it closes them and prints one JSON line:
//   {count, connected, p50, p99, max, errors:[...], worstLoopLagMs}
// worstLoopLagMs is how late this process's own 20 ms timer ran at worst: a stall of this process or of the machine.
import http from "node:http";

const [url, consumersArg, skipArg, measureArg] = process.argv.slice(2);
const consumers = Number(consumersArg);
const skipMs = Number(skipArg) * 1000;
const measureMs = Number(measureArg) * 1000;
const started = Date.now();
const latencies = [];
const errors = [];
const requests = [];
let connected = 0;
// One event is a few hundred bytes; a connection that piles up more than this without an event boundary is broken.
const maxPending = 64 * 1024;
const marker = 'ts\\":\\"';

let worstLoopLagMs = 0;
let lastTick = performance.now();
const lagTimer = setInterval(() => {
  const now = performance.now();
  worstLoopLagMs = Math.max(worstLoopLagMs, now - lastTick - 20);
  lastTick = now;
}, 20);

function onEvent(block) {
  const now = Date.now();
  if (now - started < skipMs) return;
  const at = block.indexOf(marker);
  if (at < 0) return;
  const ts = Date.parse(block.substr(at + marker.length, 24));
  if (!Number.isNaN(ts)) latencies.push(now - ts);
}

for (let i = 0; i < consumers; i++) {
  const request = http.get(url, { agent: false, headers: { Accept: "text/event-stream" } }, (response) => {
    if (response.statusCode !== 200) {
      errors.push(`consumer ${i}: HTTP ${response.statusCode}`);
      response.resume();
      return;
    }
    connected++;
    response.setEncoding("utf8");
    let pending = "";
    response.on("data", (chunk) => {
      pending += chunk;
      let end;
      while ((end = pending.indexOf("\n\n")) >= 0) {
        onEvent(pending.slice(0, end));
        pending = pending.slice(end + 2);
      }
      if (pending.length > maxPending) {
        errors.push(`consumer ${i}: ${pending.length} bytes without an event boundary`);
        request.destroy();
      }
    });
  });
  request.on("error", (error) => {
    if (!request.destroyedByUs) errors.push(`consumer ${i}: ${error.message}`);
  });
  requests.push(request);
}

setTimeout(() => {
  clearInterval(lagTimer);
  for (const request of requests) {
    request.destroyedByUs = true;
    request.destroy();
  }
  latencies.sort((a, b) => a - b);
  const at = (q) => (latencies.length === 0 ? null : latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * q))]);
  const result = { count: latencies.length, connected, p50: at(0.5), p99: at(0.99), max: at(1), errors: errors.slice(0, 20), worstLoopLagMs: Math.round(worstLoopLagMs) };
  process.stdout.write(JSON.stringify(result) + "\n", () => process.exit(0));
}, skipMs + measureMs);

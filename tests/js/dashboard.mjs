// Drives the dashboard in headless Chromium (Debian's /usr/bin/chromium, playwright-core); run by DashboardTests.
//   node dashboard.mjs URL OUTDIR [--min-points N] [--phone] [--wait-unverified] [--advance N]
// Loads URL, waits until the badge says verified and every chart holds at least N points (default 5), saves
// OUTDIR/dashboard.png. --phone: also loads it at a phone's size (390x844) and saves dashboard-phone.png.
// --wait-unverified: then waits for the badge to turn unverified (a forged frame) and saves dashboard-forged.png.
// --advance N: then waits until every stream has verified N more frames (across a drop or a restart of the agent).
// Prints one JSON object: the badge, each stream's chart, the health panel, the connection states seen, console
// errors (CSP violations among them) and the phone page's widths.
import { chromium } from "playwright-core";
import { join } from "node:path";
import { rmSync, writeFileSync } from "node:fs";

const [url, outdir, ...rest] = process.argv.slice(2);
// OUTDIR/loaded appears once the page is live with --min-points on every stream, so a test can act on the agent
// (kill it, drop it) knowing the page saw it working first.
rmSync(join(outdir, "loaded"), { force: true });
const flag = (name) => rest.includes(name);
const option = (name, fallback) => (rest.includes(name) ? Number(rest[rest.indexOf(name) + 1]) : fallback);
const minPoints = option("--min-points", 5);
const advance = option("--advance", 0);
const result = { consoleErrors: [], connectionStates: [] };

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu"] });
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
  const watch = (p) => {
    p.on("console", (m) => m.type() === "error" && result.consoleErrors.push(m.text()));
    p.on("pageerror", (e) => result.consoleErrors.push(e.message));
  };
  watch(page);
  await page.exposeFunction("reportConnection", (state) => result.connectionStates.push(state));
  await page.addInitScript(() => {
    const observe = () => {
      const node = document.getElementById("connection");
      if (!node) return setTimeout(observe, 50);
      let last = null;
      new MutationObserver(() => {
        if (node.dataset.state !== last) window.reportConnection((last = node.dataset.state));
      }).observe(node, { attributes: true, childList: true });
    };
    observe();
  });
  await page.goto(url);
  const ready = async (p, points) =>
    p.waitForFunction(
      (min) => {
        const d = window.diodeEdge;
        if (!d || d.badge().state !== "verified") return false;
        const s = d.streams();
        return s.length > 0 && s.every((x) => x.points >= min);
      },
      points,
      { timeout: 60000, polling: 200 },
    );
  await ready(page, minPoints);
  await page.waitForTimeout(300); // the health panel's first answer and the last chart frame
  const snapshot = async (p) =>
    p.evaluate(() => ({
      badge: window.diodeEdge.badge(),
      badgeText: document.getElementById("badge").textContent,
      alert: document.getElementById("alert").hidden ? null : document.getElementById("alert").textContent,
      streams: window.diodeEdge.streams(),
      shownValues: [...document.querySelectorAll(".card")].map((c) => ({ stream: c.dataset.stream, values: [...c.querySelectorAll(".value")].map((v) => v.textContent) })),
      health: Object.fromEntries([...document.querySelectorAll("#health-body .component")].map((c) => [c.dataset.component, { status: c.dataset.status, text: c.textContent }])),
      healthStatus: document.getElementById("health-status").textContent,
      deployment: window.diodeEdge.deployment(),
      deploymentText: document.getElementById("deployment").hidden ? null : document.getElementById("deployment").textContent,
    }));
  result.loaded = await snapshot(page);
  writeFileSync(join(outdir, "loaded"), "");
  await page.screenshot({ path: join(outdir, "dashboard.png") });

  if (flag("--phone")) {
    const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
    watch(phone);
    await phone.goto(url);
    await ready(phone, 1);
    await phone.waitForTimeout(300);
    result.phone = await phone.evaluate(() => ({
      innerWidth: window.innerWidth,
      scrollWidth: document.documentElement.scrollWidth,
      widestCard: Math.max(...[...document.querySelectorAll(".card, #health")].map((c) => c.getBoundingClientRect().right)),
    }));
    await phone.screenshot({ path: join(outdir, "dashboard-phone.png"), fullPage: true });
    await phone.close();
  }

  if (flag("--wait-unverified")) {
    await page.waitForFunction(() => window.diodeEdge.badge().state === "unverified", null, { timeout: 60000, polling: 200 });
    await page.waitForTimeout(1500); // frames after the forged one keep arriving and verifying
    result.forged = await snapshot(page);
    await page.screenshot({ path: join(outdir, "dashboard-forged.png") });
  }

  if (advance > 0) {
    const from = Object.fromEntries(result.loaded.streams.map((s) => [s.id, s.verified]));
    await page.waitForFunction(
      ({ from, advance }) => window.diodeEdge.streams().every((s) => s.verified >= from[s.id] + advance),
      { from, advance },
      { timeout: 90000, polling: 200 },
    );
    result.advanced = await snapshot(page);
  }
} catch (e) {
  result.error = e.message;
} finally {
  await browser.close();
}
console.log(JSON.stringify(result));

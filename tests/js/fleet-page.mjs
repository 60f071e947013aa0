// Drives the page of `diode-edge fleet serve` in headless Chromium (Debian's /usr/bin/chromium, playwright-core); run
// by FleetStatusTests.
//   node fleet-page.mjs URL OUTDIR ROWS [--tamper GIVEN]
// Loads URL, waits until the table shows ROWS rows, saves OUTDIR/fleet.png and reports each row as the page verified
// it. --tamper GIVEN: then loads the page again with the server's answer altered on its way to the browser (the
// signed deployment status of the row listed as GIVEN changed, the server's own verdict left "ok"), saves
// OUTDIR/fleet-tampered.png and reports those rows too: the page must not believe the server.
// Prints one JSON object: rows, tampered, summary texts and console errors (CSP violations among them).
import { chromium } from "playwright-core";
import { join } from "node:path";

const [url, outdir, rowsText, ...rest] = process.argv.slice(2);
const expected = Number(rowsText);
const tamper = rest.includes("--tamper") ? rest[rest.indexOf("--tamper") + 1] : null;
const result = { consoleErrors: [] };

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu"] });
const load = async (name, alter) => {
  const page = await browser.newPage({ viewport: { width: 1500, height: 700 } });
  page.on("console", (m) => m.type() === "error" && result.consoleErrors.push(m.text()));
  page.on("pageerror", (e) => result.consoleErrors.push(e.message));
  if (alter) {
    await page.route("**/fleet/status.json", async (route) => {
      const response = await route.fetch();
      const answer = await response.json();
      alter(answer);
      await route.fulfill({ response, json: answer });
    });
  }
  await page.goto(url);
  await page.waitForFunction((n) => window.diodeEdgeFleet && window.diodeEdgeFleet.rows().length === n, expected, { timeout: 60000, polling: 200 });
  await page.screenshot({ path: join(outdir, `${name}.png`), fullPage: true });
  const seen = await page.evaluate(() => ({ rows: window.diodeEdgeFleet.rows(), summary: document.getElementById("summary").textContent }));
  await page.close();
  return seen;
};

try {
  result.plain = await load("fleet");
  if (tamper) {
    result.tampered = await load("fleet-tampered", (answer) => {
      for (const row of answer.report.rows) {
        if (row.given === tamper && row.deploymentStatus) {
          row.deploymentStatus.statement = row.deploymentStatus.statement.replace('"appliedSeq":', '"appliedSeq":1');
          row.state = "ok";
        }
      }
    });
  }
} catch (e) {
  result.error = e.message;
} finally {
  await browser.close();
}
console.log(JSON.stringify(result));

// Bundles the dashboard for embedding in the agent: node build.mjs OUTDIR
// OUTDIR gets index.html, app.js and app.css (minified, no source maps, no external URLs: the page loads nothing
// from a CDN), and the page of `diode-edge fleet serve` from the second entry point: fleet.html, fleet.js and
// fleet.css (it verifies with the same verify.js). The agent's build runs this (agent/Diode.Edge.Agent.csproj,
// target BuildDashboard).
import { build } from "esbuild";
import { copyFileSync, mkdirSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const outdir = process.argv[2];
if (!outdir) {
  console.error("usage: node build.mjs OUTDIR");
  process.exit(2);
}
mkdirSync(outdir, { recursive: true });
await build({
  entryPoints: { app: join(here, "src", "app.js"), fleet: join(here, "src", "fleet", "fleet.js") },
  bundle: true,
  minify: true,
  format: "esm",
  target: ["es2020"],
  outdir,
  legalComments: "eof",
  logLevel: "warning",
});
copyFileSync(join(here, "src", "index.html"), join(outdir, "index.html"));
copyFileSync(join(here, "src", "fleet", "fleet.html"), join(outdir, "fleet.html"));

// An independent verifier of diode-edge frames with ethers (the xunit suite runs it; see GoldenVectorTests).
//   node verify.mjs vectors FILE           every vector's sig recovers the address, and ethers' own signature equals it
//   node verify.mjs frames 0xADDRESS       stdin: one frame JSON per line; each must verify against the address; a
//                                          payload's "clock", when present, must be "synced" or "unsynced" (listed in
//                                          the output's "clocks", null for a payload without one)
//   node verify.mjs identity               stdin: the JSON of GET /identity; its statement must be signed by its address
// Prints one JSON line {ok, checked, failures:[...]} and exits 1 when anything failed.
import { readFileSync } from "node:fs";
import { Wallet, verifyMessage, getAddress } from "ethers";

const [mode, arg] = process.argv.slice(2);
const failures = [];
let checked = 0;
const clocks = [];
const same = (a, b) => getAddress(a) === getAddress(b);

if (mode === "vectors") {
  const file = JSON.parse(readFileSync(arg, "utf8"));
  const wallet = new Wallet(file.privateKey);
  if (!same(wallet.address, file.address)) failures.push(`key gives ${wallet.address}, file says ${file.address}`);
  for (const v of file.vectors) {
    checked++;
    const signer = verifyMessage(v.payload, v.sig);
    if (!same(signer, file.address)) failures.push(`vector ${checked}: recovered ${signer}`);
    const again = await wallet.signMessage(v.payload);
    if (again !== v.sig) failures.push(`vector ${checked}: ethers signs ${again}, file has ${v.sig}`);
  }
} else if (mode === "frames") {
  const lines = readFileSync(0, "utf8").split("\n").filter((l) => l.trim().length > 0);
  for (const line of lines) {
    checked++;
    try {
      const frame = JSON.parse(line);
      const signer = verifyMessage(frame.payload, frame.sig);
      if (!same(signer, arg)) failures.push(`frame ${checked}: signed by ${signer}, not ${arg}`);
      const payload = JSON.parse(frame.payload);
      if (!same(payload.device, signer)) failures.push(`frame ${checked}: payload device ${payload.device} is not the signer ${signer}`);
      // Contract v1's addition: whether the device's clock was synchronised when it signed (absent in older frames).
      if ("clock" in payload && payload.clock !== "synced" && payload.clock !== "unsynced") failures.push(`frame ${checked}: clock is ${JSON.stringify(payload.clock)}, not "synced" or "unsynced"`);
      clocks.push(payload.clock ?? null);
    } catch (e) {
      failures.push(`frame ${checked}: ${e.message}`);
    }
  }
} else if (mode === "identity") {
  const identity = JSON.parse(readFileSync(0, "utf8"));
  checked++;
  const signer = verifyMessage(identity.statement, identity.sig);
  const statement = JSON.parse(identity.statement);
  if (!same(signer, identity.address)) failures.push(`statement signed by ${signer}, not ${identity.address}`);
  if (!same(statement.device, identity.address)) failures.push(`statement names ${statement.device}`);
  if (statement.fleet !== identity.fleet) failures.push(`statement fleet ${statement.fleet} differs from ${identity.fleet}`);
  if ((statement.client ?? null) === null ? (identity.clientAddress ?? null) !== null : !same(statement.client, identity.clientAddress ?? "")) failures.push(`statement client ${statement.client} differs from ${identity.clientAddress}`);
} else {
  console.error("usage: node verify.mjs vectors FILE | frames 0xADDRESS | identity");
  process.exit(2);
}
console.log(JSON.stringify({ ok: failures.length === 0, checked, failures, ...(mode === "frames" ? { clocks } : {}) }));
process.exit(failures.length === 0 ? 0 : 1);

// Checks the dashboard's in-browser verifier (agent/Dashboard/web/src/verify.js, @noble/curves) against the golden
// vectors and against ethers, and that it refuses every kind of tampering; run by DashboardVerifierTests.
// Prints one JSON line {ok, checked, failures:[...]}.
import { readFileSync } from "node:fs";
import { Wallet, verifyMessage, getAddress } from "ethers";
import { recoverSigner, verifyFrame, verifyIdentity, parseAddress } from "../../agent/Dashboard/web/src/verify.js";

const [vectorsFile] = process.argv.slice(2);
const file = JSON.parse(readFileSync(vectorsFile, "utf8"));
const failures = [];
let checked = 0;
const check = (ok, what) => {
  checked++;
  if (!ok) failures.push(what);
};

for (const [i, v] of file.vectors.entries()) {
  check(recoverSigner(v.payload, v.sig) === file.address, `vector ${i + 1}: recovers ${recoverSigner(v.payload, v.sig)}`);
}

const frame = file.vectors[0];
check(verifyFrame(frame, file.address, "env").ok, "the first golden frame verifies");
check(verifyFrame(JSON.stringify(frame), file.address, "env").ok, "the first golden frame verifies as text");

const flip = (text, at) => text.slice(0, at) + (text[at] === "1" ? "2" : "1") + text.slice(at + 1);
const refused = (f, device, stream, why, because = "") => {
  const result = verifyFrame(f, device, stream);
  check(!result.ok && typeof result.reason === "string" && result.reason.length > 0 && result.reason.includes(because), `${why}: ${JSON.stringify(result)}`);
};
refused({ ...frame, payload: frame.payload.replace("21.5", "99.5") }, file.address, "env", "a changed value");
refused({ ...frame, sig: flip(frame.sig, 10) }, file.address, "env", "a flipped bit in r");
refused({ ...frame, sig: frame.sig.slice(0, -2) + "1d" }, file.address, "env", "v = 29");
refused({ ...frame, sig: frame.sig.slice(0, -2) }, file.address, "env", "a 64-byte signature");
refused(frame, "0x0000000000000000000000000000000000000001", "env", "another device");
refused(frame, file.address, "greenhouse", "a frame of another stream");
refused("{not json", file.address, "env", "garbage");

// The high-s twin of a valid signature (s' = n - s, v flipped) recovers the same key; it must be refused (EIP-2).
const n = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
const s = BigInt("0x" + frame.sig.slice(66, 130));
const twin = frame.sig.slice(0, 66) + (n - s).toString(16).padStart(64, "0") + (frame.sig.endsWith("1b") ? "1c" : "1b");
refused({ ...frame, sig: twin }, file.address, "env", "the high-s twin", "high-s");

// A payload that names another device, signed by that key: the frame is signed, but not by the device.
const other = Wallet.createRandom();
const otherPayload = frame.payload.replace(file.address, other.address);
refused({ payload: otherPayload, sig: await other.signMessage(otherPayload) }, file.address, "env", "signed by another key");

// Agreement with ethers on random messages and keys (unicode and long payloads among them).
for (let i = 0; i < 50; i++) {
  const wallet = Wallet.createRandom();
  const message = `{"i":${i},"text":"${"µ°🌡".repeat(i)}"}`;
  const sig = await wallet.signMessage(message);
  check(recoverSigner(message, sig) === getAddress(verifyMessage(message, sig)), `random ${i}: disagrees with ethers`);
}

// EIP-55: lower case is accepted, a wrong mixed-case checksum is not.
check(parseAddress(file.address.toLowerCase()) === file.address, "lower-case address");
let threw = false;
try {
  parseAddress(file.address.slice(0, 3) + (file.address[3] === file.address[3].toUpperCase() ? file.address[3].toLowerCase() : file.address[3].toUpperCase()) + file.address.slice(4));
} catch {
  threw = true;
}
check(threw, "a bad EIP-55 checksum is refused");

// The identity statement, signed like the agent signs it.
const wallet = new Wallet(file.privateKey);
const statement = JSON.stringify({ v: 1, kind: "diode-edge/identity", device: wallet.address, fleet: null, agent: "diode-edge/test", ts: "2026-12-02T00:00:00Z" });
const identity = { address: wallet.address, fleet: null, version: "test", statement, sig: await wallet.signMessage(statement) };
check(verifyIdentity(identity) === file.address, "the identity statement verifies");
// Once the Diode client's address is known the statement names it as "client" (after "fleet").
const clientAddress = "0x9f2b1c33a4e77d3f0b5a68e1c2d4f6a8b0c1d2e3";
const withClientStatement = JSON.stringify({ v: 1, kind: "diode-edge/identity", device: wallet.address, fleet: null, client: clientAddress, agent: "diode-edge/test", ts: "2026-12-02T00:00:00Z" });
const withClient = { address: wallet.address, fleet: null, version: "test", statement: withClientStatement, sig: await wallet.signMessage(withClientStatement), clientAddress };
check(verifyIdentity(withClient) === file.address, "the identity statement naming the Diode client verifies");
check(verifyIdentity({ ...identity, clientAddress: null }) === file.address, "a statement without a client verifies when the client is not known");
for (const [why, bad] of [
  ["an identity claiming another address", { ...identity, address: other.address }],
  ["an identity with another fleet", { ...identity, fleet: "0x0000000000000000000000000000000000000002" }],
  ["an identity claiming a client its statement does not name", { ...identity, clientAddress }],
  ["an identity claiming another client than its statement", { ...withClient, clientAddress: other.address }],
  ["an identity hiding the client its statement names", { ...withClient, clientAddress: null }],
]) {
  let refusedIdentity = false;
  try {
    verifyIdentity(bad);
  } catch {
    refusedIdentity = true;
  }
  check(refusedIdentity, why);
}

console.log(JSON.stringify({ ok: failures.length === 0, checked, failures }));
process.exit(failures.length === 0 ? 0 : 1);

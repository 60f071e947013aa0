// Generates tests/golden/vectors.json with ethers (an implementation independent of the agent's Nethereum):
// a fixed test key, payloads in the stream contract's format and their EIP-191 personal_sign signatures.
// Run once by hand: node tests/js/make-vectors.mjs > tests/golden/vectors.json (the file is committed).
import { Wallet } from "ethers";

const key = "0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318"; // a well-known test key; never a real device's
const wallet = new Wallet(key);
const device = wallet.address;
const payload = (seq, values, units, extra = "") =>
  `{"v":1,"device":"${device}","stream":"env","epoch":1795565985323,"seq":${seq},"ts":"2026-11-24T10:00:0${seq}.123Z","values":${values},"units":${units}${extra}}`;
const payloads = [
  payload(1, `{"temperature":21.5,"relative_humidity":40,"pressure":1013.25}`, `{"temperature":"Cel","relative_humidity":"%","pressure":"hPa"}`),
  payload(2, `{"temperature":-3.75}`, `{"temperature":"Cel"}`),
  payload(3, `{"illuminance":0}`, `{"illuminance":"lx"}`, `,"note":"caf\u00e9 \u00b5g/m\u00b3 \ud83c\udf21"`),
  payload(4, `{"state":1}`, `{"state":"1"}`, `,"note":"quote \\" and backslash \\\\ and tab \\t"`),
  payload(5, `{"voltage":3.3000000000000003}`, `{"voltage":"V"}`),
  "{}",
];
const vectors = [];
for (const p of payloads) {
  vectors.push({ payload: p, sig: await wallet.signMessage(p) });
}
console.log(JSON.stringify({ comment: "Golden vectors of the stream contract (docs/stream-contract.md); made by tests/js/make-vectors.mjs with ethers", privateKey: key, address: device, vectors }, null, 2));

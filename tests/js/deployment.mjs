// An owner's side of a Diode.Edge deployment, independent of the agent's code: ethers' EIP-712 signTypedData and
// verifyTypedData, and RFC 8785 canonical JSON as JSON.stringify writes a key-sorted value.
//   node deployment.mjs sign      < {"keys":[...], "document":{...}}   -> {"claims":{...}, "configHash":"0x..", "signatures":[...]}
//   node deployment.mjs recover   < {"document":{...}}                 -> {"claims":{...}, "configHash":"0x..", "signers":[...]}
// Prints one JSON line.
import { Wallet, keccak256, toUtf8Bytes, verifyTypedData } from "ethers";

const domain = { name: "Diode.Edge", version: "1" };
const types = {
  Deployment: [
    { name: "fleet", type: "address" },
    { name: "seq", type: "uint64" },
    { name: "target", type: "string" },
    { name: "notBefore", type: "uint64" },
    { name: "expires", type: "uint64" },
    { name: "rollbackAfter", type: "uint64" },
    { name: "configHash", type: "bytes32" },
  ],
};

function canonical(value) {
  if (Array.isArray(value)) return "[" + value.map(canonical).join(",") + "]";
  if (value !== null && typeof value === "object") {
    return "{" + Object.keys(value).sort().map((k) => JSON.stringify(k) + ":" + canonical(value[k])).join(",") + "}";
  }
  return JSON.stringify(value);
}

function seconds(duration) {
  const m = /^(\d+)(s|m|h)$/.exec(duration);
  if (!m) throw new Error("rollbackAfter: only Ns, Nm, Nh here: " + duration);
  return Number(m[1]) * { s: 1, m: 60, h: 3600 }[m[2]];
}

function claims(document) {
  const configHash = keccak256(toUtf8Bytes(canonical(document.config)));
  return {
    configHash,
    value: {
      fleet: document.fleet,
      seq: BigInt(document.seq),
      target: canonical(document.target),
      notBefore: BigInt(Date.parse(document.notBefore) / 1000),
      expires: BigInt(Date.parse(document.expires) / 1000),
      rollbackAfter: BigInt(seconds(document.rollbackAfter)),
      configHash,
    },
  };
}

const input = JSON.parse(await new Promise((resolve) => {
  let text = "";
  process.stdin.on("data", (chunk) => (text += chunk));
  process.stdin.on("end", () => resolve(text));
}));
const { value, configHash } = claims(input.document);
const printable = { ...value, seq: value.seq.toString(), notBefore: value.notBefore.toString(), expires: value.expires.toString(), rollbackAfter: value.rollbackAfter.toString() };
if (process.argv[2] === "sign") {
  const signatures = [];
  for (const key of input.keys) signatures.push(await new Wallet(key).signTypedData(domain, types, value));
  console.log(JSON.stringify({ claims: printable, configHash, canonicalConfig: canonical(input.document.config), signatures }));
} else if (process.argv[2] === "recover") {
  const signers = input.document.signatures.map((s) => verifyTypedData(domain, types, value, s));
  console.log(JSON.stringify({ claims: printable, configHash, canonicalConfig: canonical(input.document.config), signers }));
} else {
  throw new Error("usage: node deployment.mjs sign|recover < input.json");
}

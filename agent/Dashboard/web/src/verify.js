// End-to-end verification of diode-edge frames in the browser (docs/stream-contract.md): each frame's `sig` is the device's
// EIP-191 personal_sign of the payload's exact UTF-8 bytes, so the signer recovered from it must be the address that
// GET /identity states and signs. Nothing between the device and this page (relays, the Diode network) is trusted.
import { secp256k1 } from "@noble/curves/secp256k1.js";
import { keccak_256 } from "@noble/hashes/sha3.js";

const utf8 = new TextEncoder();

function hexToBytes(hex) {
  if (typeof hex !== "string" || !/^0x([0-9a-fA-F]{2})*$/.test(hex)) throw new Error("not 0x-prefixed hex");
  const out = new Uint8Array((hex.length - 2) / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.substr(2 + i * 2, 2), 16);
  return out;
}

function toHex(bytes) {
  let s = "";
  for (const b of bytes) s += b.toString(16).padStart(2, "0");
  return s;
}

/** EIP-55 mixed-case checksum address of 20 bytes (or of a hex address). */
export function checksumAddress(address) {
  const lower = typeof address === "string" ? address.toLowerCase().replace(/^0x/, "") : toHex(address);
  if (!/^[0-9a-f]{40}$/.test(lower)) throw new Error(`"${address}" is not an address`);
  const hash = toHex(keccak_256(utf8.encode(lower)));
  let out = "0x";
  for (let i = 0; i < 40; i++) out += parseInt(hash[i], 16) >= 8 ? lower[i].toUpperCase() : lower[i];
  return out;
}

/** An address as written: all lower or all upper case, or mixed case with a valid EIP-55 checksum. */
export function parseAddress(address) {
  if (typeof address !== "string" || !/^0x[0-9a-fA-F]{40}$/.test(address)) throw new Error(`"${address}" is not an address`);
  const body = address.slice(2);
  const checksummed = checksumAddress(address);
  if (body !== body.toLowerCase() && body !== body.toUpperCase() && checksummed !== address) {
    throw new Error(`"${address}" has a bad EIP-55 checksum`);
  }
  return checksummed;
}

/** The address whose key made `sigHex` (65 bytes r‖s‖v, v 27/28) over `message` (a string) as EIP-191 personal_sign. */
export function recoverSigner(message, sigHex) {
  const sig = hexToBytes(sigHex);
  if (sig.length !== 65) throw new Error(`a signature is 65 bytes, this one is ${sig.length}`);
  const v = sig[64];
  if (v !== 27 && v !== 28) throw new Error(`v is ${v}, not 27 or 28`);
  const body = utf8.encode(message);
  const prefix = utf8.encode(`\x19Ethereum Signed Message:\n${body.length}`);
  const data = new Uint8Array(prefix.length + body.length);
  data.set(prefix);
  data.set(body, prefix.length);
  const recovered = new Uint8Array(65);
  recovered[0] = v - 27;
  recovered.set(sig.subarray(0, 64), 1);
  const signature = secp256k1.Signature.fromBytes(recovered, "recovered");
  if (signature.hasHighS()) throw new Error("high-s signature (malleable), refused");
  const publicKey = signature.recoverPublicKey(keccak_256(data)).toBytes(false);
  return checksumAddress(keccak_256(publicKey.subarray(1)).subarray(12));
}

/**
 * Checks GET /identity: the statement must be signed by the address it names, for the fleet (and Diode client) it names.
 * Returns the device address (EIP-55); throws with the reason otherwise.
 */
export function verifyIdentity(identity) {
  const address = parseAddress(identity.address);
  const signer = recoverSigner(identity.statement, identity.sig);
  if (signer !== address) throw new Error(`the identity statement is signed by ${signer}, not by ${address}`);
  const statement = JSON.parse(identity.statement);
  if (parseAddress(statement.device) !== address) throw new Error(`the identity statement names ${statement.device}`);
  if ((statement.fleet ?? null) !== (identity.fleet ?? null)) throw new Error(`the identity statement's fleet ${statement.fleet} differs from ${identity.fleet}`);
  // The Diode client's address (the one consumers dial), signed as "client" once the agent knows it.
  const client = identity.clientAddress == null ? null : parseAddress(identity.clientAddress);
  if ((statement.client == null ? null : parseAddress(statement.client)) !== client) throw new Error(`the identity statement's client ${statement.client} differs from ${identity.clientAddress}`);
  return address;
}

/**
 * Verifies one frame ({"payload":"…","sig":"0x…"}, as text or parsed) against the device address and the stream it
 * arrived on. Returns {ok:true, payload} or {ok:false, reason}. Never throws.
 */
export function verifyFrame(frame, device, streamId) {
  try {
    const f = typeof frame === "string" ? JSON.parse(frame) : frame;
    if (typeof f.payload !== "string" || typeof f.sig !== "string") return { ok: false, reason: "not a frame (payload and sig missing)" };
    const signer = recoverSigner(f.payload, f.sig);
    if (signer !== device) return { ok: false, reason: `signed by ${signer}, not by the device ${device}` };
    const payload = JSON.parse(f.payload);
    if (payload.v !== 1) return { ok: false, reason: `payload version ${payload.v} is not 1` };
    if (parseAddress(payload.device) !== device) return { ok: false, reason: `the payload names device ${payload.device}` };
    if (streamId !== undefined && payload.stream !== streamId) return { ok: false, reason: `a frame of stream "${payload.stream}" on stream "${streamId}"` };
    if (!Number.isSafeInteger(payload.epoch) || !Number.isSafeInteger(payload.seq)) return { ok: false, reason: "epoch and seq must be integers" };
    return { ok: true, payload };
  } catch (e) {
    return { ok: false, reason: e instanceof Error ? e.message : String(e) };
  }
}

/** Orders frame positions: negative, zero or positive as (epoch, seq) a is before, at or after b. */
export function comparePosition(a, b) {
  return a.epoch !== b.epoch ? Math.sign(a.epoch - b.epoch) : Math.sign(a.seq - b.seq);
}

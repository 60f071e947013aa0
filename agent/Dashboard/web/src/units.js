// UCUM unit codes (as frames carry them, docs/stream-contract.md) written the way people read them.
const names = { Cel: "°C", "[degF]": "°F", K: "K", "%": "%", hPa: "hPa", Pa: "Pa", kPa: "kPa", lx: "lx", V: "V", mV: "mV", A: "A", mA: "mA", Ohm: "Ω", "1": "", "{state}": "" };

export function displayUnit(ucum) {
  return Object.prototype.hasOwnProperty.call(names, ucum) ? names[ucum] : ucum ?? "";
}

/** Turns a quantity name such as relative_humidity into "relative humidity". */
export function displayQuantity(name) {
  return String(name).replaceAll("_", " ");
}

/** A value with as many decimals as a reading usefully has. */
export function formatValue(value) {
  if (typeof value === "boolean") return value ? "on" : "off";
  if (typeof value !== "number" || !Number.isFinite(value)) return String(value);
  const magnitude = Math.abs(value);
  const decimals = magnitude >= 1000 ? 1 : magnitude >= 100 ? 1 : magnitude >= 1 ? 2 : 3;
  return value.toFixed(decimals);
}

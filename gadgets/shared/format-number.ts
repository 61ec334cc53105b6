/** A number for a readout: six significant digits, NaN and ±Infinity as they are. */
export function formatNumber(value: number): string {
  return Number.isFinite(value) ? Number(value.toPrecision(6)).toString() : String(value);
}

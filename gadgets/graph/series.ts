import type { Envelope } from '../../storage/arrays';

/** One row per x for dygraphs: [x, channel 0, channel 1…]; null where a channel has no value (a gap). */
export type Row = (number | null)[];

/**
 * Turns an envelope into plot rows. A summarised column becomes four points — first, min, max, last — spread across
 * the column, so the line shows the true extremes of every column (M4); raw samples are one point each.
 * `toX` maps a sample index to the x axis (time, frequency…). NaN and ±Infinity become gaps: dygraphs cannot scale an axis
 * to an infinite value and then draws nothing at all (a dB spectrum of digital silence holds -Infinity).
 */
export function envelopeRows(envelope: Envelope, toX: (index: number) => number): Row[] {
  const rows: Row[] = [];
  const channels = envelope.channels;
  const value = (v: number) => (Number.isFinite(v) ? v : null);
  for (let column = 0; column < envelope.starts.length; column += 1) {
    const start = envelope.starts[column]!;
    const end = envelope.ends[column]!;
    if (envelope.raw || end - start === 1) {
      rows.push([toX(start), ...channels.map((channel) => value(channel.first[column]!))]);
      continue;
    }
    const step = (end - 1 - start) / 3;
    rows.push([toX(start), ...channels.map((channel) => value(channel.first[column]!))]);
    rows.push([toX(start + step), ...channels.map((channel) => value(channel.min[column]!))]);
    rows.push([toX(start + 2 * step), ...channels.map((channel) => value(channel.max[column]!))]);
    rows.push([toX(end - 1), ...channels.map((channel) => value(channel.last[column]!))]);
  }
  return rows;
}

/**
 * The rows to plot: the detailed rows inside the visible window [x0, x1] and the coarse overview outside it, so the
 * range selector shows the whole array and a pan shows something at once while the detail loads.
 */
export function mergeRows(overview: Row[], detail: Row[], x0: number, x1: number): Row[] {
  const before = overview.filter((row) => (row[0] as number) < x0);
  const after = overview.filter((row) => (row[0] as number) > x1);
  return [...before, ...detail, ...after];
}

/** The extremes per channel of rows within [x0, x1] (what the graph draws there); NaN when none. */
export function visibleExtremes(rows: Row[], x0: number, x1: number, channels: number): { min: number; max: number }[] {
  const extremes = Array.from({ length: channels }, () => ({ min: NaN, max: NaN }));
  for (const row of rows) {
    const x = row[0] as number;
    if (x < x0 || x > x1) continue;
    for (let channel = 0; channel < channels; channel += 1) {
      const v = row[channel + 1];
      if (v === null || v === undefined) continue;
      const extreme = extremes[channel]!;
      if (!(v >= extreme.min)) extreme.min = Number.isNaN(extreme.min) ? v : Math.min(extreme.min, v);
      if (!(v <= extreme.max)) extreme.max = Number.isNaN(extreme.max) ? v : Math.max(extreme.max, v);
    }
  }
  return extremes;
}

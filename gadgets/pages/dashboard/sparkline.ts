import type { Envelope } from '../../../storage/arrays';

/** A sparkline drawn as one vertical bar per envelope column, from its min to its max (channel 0). */
export interface SparklineShape {
  /** SVG path data in a `width` × `height` box; '' when there is nothing finite to draw. */
  path: string;
  /** Bar width: columns touch, so the bars read as the signal's band. */
  barWidth: number;
  /** The finite range drawn, for the text alternative. */
  low: number;
  high: number;
}

/**
 * The sparkline of an envelope: bars scaled to the finite min and max of all columns (NaN and ±Infinity columns are
 * left out), each at least one unit tall so a flat signal still shows. A constant signal is drawn at mid height.
 */
export function sparklineShape(envelope: Envelope, width: number, height: number): SparklineShape {
  const channel = envelope.channels[0];
  const columns = envelope.starts.length;
  if (!channel || columns === 0) return { path: '', barWidth: 0, low: NaN, high: NaN };
  let low = Infinity;
  let high = -Infinity;
  for (let column = 0; column < columns; column += 1) {
    for (const value of [channel.min[column]!, channel.max[column]!]) {
      if (Number.isFinite(value)) {
        low = Math.min(low, value);
        high = Math.max(high, value);
      }
    }
  }
  if (low > high) return { path: '', barWidth: 0, low: NaN, high: NaN };
  const step = width / columns;
  const y = (value: number) => (high === low ? height / 2 : height - ((value - low) / (high - low)) * height);
  const parts: string[] = [];
  for (let column = 0; column < columns; column += 1) {
    const min = channel.min[column]!;
    const max = channel.max[column]!;
    if (!Number.isFinite(min) || !Number.isFinite(max)) continue;
    const top = y(max);
    const bottom = Math.max(y(min), top + 1);
    parts.push(`M${round((column + 0.5) * step)} ${round(top)}V${round(bottom)}`);
  }
  return { path: parts.join(''), barWidth: round(step), low, high };
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

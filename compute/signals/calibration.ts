import type { StorageError } from '../../storage/storage-error';
import { isFiniteNumber, isObject, shown } from './document-check';

/**
 * How a raw value becomes a calibrated one:
 * - `linear`: gain · raw + offset;
 * - `polynomial`: c0 + c1·raw + c2·raw² + … (`coefficients`, lowest power first; at least one);
 * - `table`: [raw, value] points with raw strictly increasing (at least two), interpolated linearly between points and
 *   held at the first / last value outside them (a sensor's table says nothing beyond its ends).
 * NaN stays NaN whatever the calibration.
 */
export type Calibration =
  | { kind: 'linear'; gain: number; offset: number }
  | { kind: 'polynomial'; coefficients: number[] }
  | { kind: 'table'; points: Array<[number, number]> };

export const IDENTITY: Calibration = { kind: 'linear', gain: 1, offset: 0 };

/** The calibrated value of one raw value. */
export function calibrate(calibration: Calibration, raw: number): number {
  if (raw !== raw) return NaN;
  switch (calibration.kind) {
    case 'linear':
      return calibration.gain * raw + calibration.offset;
    case 'polynomial':
      return horner(calibration.coefficients, raw);
    case 'table':
      return interpolate(calibration.points, raw);
  }
}

/** Calibrated values of one channel of interleaved samples (`channels` per row) as float64. */
export function calibrateChannel(calibration: Calibration, samples: ArrayLike<number>, channels: number, channel: number): Float64Array<ArrayBuffer> {
  const rows = Math.floor(samples.length / channels);
  const out = new Float64Array(rows);
  for (let row = 0; row < rows; row += 1) out[row] = calibrate(calibration, samples[row * channels + channel] as number);
  return out;
}

export function horner(coefficients: readonly number[], x: number): number {
  let value = 0;
  for (let power = coefficients.length - 1; power >= 0; power -= 1) value = value * x + (coefficients[power] as number);
  return value;
}

function interpolate(points: ReadonlyArray<readonly [number, number]>, raw: number): number {
  const first = points[0]!;
  const last = points[points.length - 1]!;
  if (raw <= first[0]) return first[1];
  if (raw >= last[0]) return last[1];
  // Binary search for the segment [lo, lo + 1] holding raw.
  let lo = 0;
  let hi = points.length - 1;
  while (hi - lo > 1) {
    const middle = (lo + hi) >> 1;
    if (points[middle]![0] <= raw) lo = middle;
    else hi = middle;
  }
  const [x0, y0] = points[lo]!;
  const [x1, y1] = points[hi]!;
  return y0 + ((raw - x0) * (y1 - y0)) / (x1 - x0);
}

/** A one-line description: "2 · raw + 0.5", "polynomial 1 + 2x − x²", "table of 4 points". */
export function describeCalibration(calibration: Calibration): string {
  switch (calibration.kind) {
    case 'linear':
      return `${calibration.gain} · raw ${calibration.offset < 0 ? '−' : '+'} ${Math.abs(calibration.offset)}`;
    case 'polynomial':
      return `polynomial ${calibration.coefficients.map((c, power) => (power === 0 ? `${c}` : `${c}·raw${power > 1 ? `^${power}` : ''}`)).join(' + ')}`;
    case 'table':
      return `table ${calibration.points.map(([raw, value]) => `${raw}→${value}`).join(', ')} (linear between points)`;
  }
}

/** The stored value as a Calibration, or the error `refuse` makes of what is wrong with it. */
export function checkCalibration(value: unknown, refuse: (problem: string) => StorageError): Calibration {
  if (!isObject(value)) throw refuse(`is ${shown(value)}, not a calibration object`);
  switch (value['kind']) {
    case 'linear': {
      const { gain, offset } = value;
      if (!isFiniteNumber(gain) || !isFiniteNumber(offset)) throw refuse(`needs a finite gain and offset, not ${shown(gain)} and ${shown(offset)}`);
      return { kind: 'linear', gain, offset };
    }
    case 'polynomial': {
      const coefficients = value['coefficients'];
      if (!Array.isArray(coefficients) || coefficients.length === 0 || !coefficients.every(isFiniteNumber)) {
        throw refuse(`needs coefficients as a list of finite numbers (lowest power first), not ${shown(coefficients)}`);
      }
      return { kind: 'polynomial', coefficients: [...coefficients] };
    }
    case 'table': {
      const points = value['points'];
      const pairs = Array.isArray(points) && points.every((point) => Array.isArray(point) && point.length === 2 && point.every(isFiniteNumber));
      if (!pairs || points.length < 2) throw refuse(`needs points as at least two [raw, value] pairs of finite numbers, not ${shown(points)}`);
      const copy = (points as Array<[number, number]>).map(([raw, calibrated]) => [raw, calibrated] as [number, number]);
      const unordered = copy.findIndex((point, index) => index > 0 && point[0] <= copy[index - 1]![0]);
      if (unordered > 0) throw refuse(`has table points out of order: raw ${copy[unordered]![0]} follows ${copy[unordered - 1]![0]} (raw values must increase)`);
      return { kind: 'table', points: copy };
    }
    default:
      throw refuse(`has kind ${shown(value['kind'])}, not 'linear', 'polynomial' or 'table'`);
  }
}

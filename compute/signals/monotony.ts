import { horner, type Calibration } from './calibration';

/**
 * Which way a calibration goes over raw values [lo, hi]: 'increasing' (never decreasing: min and max map to min and
 * max), 'decreasing' (never increasing: they swap), or 'mixed' (a turning point inside: the extremes of the calibrated
 * values are not the images of the raw extremes, so they must be read from the samples). A single value (lo = hi) or
 * NaN is 'increasing'. Unsure (rounding at a turning point, infinite bounds) counts as 'mixed': reading samples is
 * always right, only slower.
 */
export type Direction = 'increasing' | 'decreasing' | 'mixed';

export function directionOver(calibration: Calibration, lo: number, hi: number): Direction {
  if (!(lo < hi)) return 'increasing';
  if (calibration.kind === 'linear') return calibration.gain >= 0 ? 'increasing' : 'decreasing';
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return 'mixed';
  if (calibration.kind === 'table') return tableDirection(calibration.points, lo, hi);
  const slope = derivative(calibration.coefficients);
  // The slope's extremes over [lo, hi] are at the ends or where its own slope is zero.
  const candidates = [lo, hi, ...rootsIn(derivative(slope), lo, hi)].map((x) => horner(slope, x));
  if (candidates.every((value) => value >= 0)) return 'increasing';
  if (candidates.every((value) => value <= 0)) return 'decreasing';
  return 'mixed';
}

function tableDirection(points: ReadonlyArray<readonly [number, number]>, lo: number, hi: number): Direction {
  let rises = false;
  let falls = false;
  for (let index = 1; index < points.length; index += 1) {
    const [x0, y0] = points[index - 1]!;
    const [x1, y1] = points[index]!;
    if (x1 <= lo || x0 >= hi) continue; // this segment is outside (lo, hi); outside the table the value is held
    if (y1 > y0) rises = true;
    if (y1 < y0) falls = true;
  }
  return rises && falls ? 'mixed' : falls ? 'decreasing' : 'increasing';
}

export function derivative(coefficients: readonly number[]): number[] {
  return coefficients.slice(1).map((c, index) => c * (index + 1));
}

/**
 * The real roots of a polynomial strictly inside (lo, hi) where it changes sign, in order: between consecutive
 * turning points (found the same way, one degree down) it is monotonic, so each sign change there is one root,
 * found by bisection to the last bit.
 */
export function rootsIn(coefficients: readonly number[], lo: number, hi: number): number[] {
  let degree = coefficients.length - 1;
  while (degree > 0 && coefficients[degree] === 0) degree -= 1;
  const p = coefficients.slice(0, degree + 1);
  if (degree <= 0) return [];
  if (degree === 1) {
    const root = -p[0]! / p[1]!;
    return root > lo && root < hi ? [root] : [];
  }
  const points = [lo, ...rootsIn(derivative(p), lo, hi), hi];
  const roots: number[] = [];
  for (let index = 1; index < points.length; index += 1) {
    let a = points[index - 1]!;
    let b = points[index]!;
    let fa = horner(p, a);
    const fb = horner(p, b);
    if (fa === 0 || fb === 0 || fa * fb > 0) continue;
    for (;;) {
      const middle = a + (b - a) / 2;
      if (middle <= a || middle >= b) break;
      const fm = horner(p, middle);
      if (fm === 0) {
        a = b = middle;
        break;
      }
      if (fa * fm < 0) b = middle;
      else {
        a = middle;
        fa = fm;
      }
    }
    roots.push(a);
  }
  return roots;
}

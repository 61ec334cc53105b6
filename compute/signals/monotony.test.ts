import { describe, expect, it } from 'vitest';
import type { Calibration } from './calibration';
import { directionOver, rootsIn } from './monotony';

describe('which way a calibration goes over a raw range', () => {
  it('linear: by the sign of the gain', () => {
    expect(directionOver({ kind: 'linear', gain: 0.5, offset: 3 }, -1, 1)).toBe('increasing');
    expect(directionOver({ kind: 'linear', gain: -2, offset: 0 }, -1, 1)).toBe('decreasing');
  });

  it('polynomial: mixed only with a turning point inside the range', () => {
    const square: Calibration = { kind: 'polynomial', coefficients: [0, 0, 1] };
    expect(directionOver(square, -1, 2)).toBe('mixed');
    expect(directionOver(square, 0, 2)).toBe('increasing'); // the turning point at an end
    expect(directionOver(square, -3, -1)).toBe('decreasing');
    expect(directionOver({ kind: 'polynomial', coefficients: [0, 0, 0, 1] }, -1, 1)).toBe('increasing'); // x³: flat at 0, never falls
    // x³ − 3x turns at ±1.
    expect(directionOver({ kind: 'polynomial', coefficients: [0, -3, 0, 1] }, -0.9, 0.9)).toBe('decreasing');
    expect(directionOver({ kind: 'polynomial', coefficients: [0, -3, 0, 1] }, 0, 1.1)).toBe('mixed');
    expect(directionOver({ kind: 'polynomial', coefficients: [5] }, 0, 1)).toBe('increasing');
  });

  it('table: by the segments the range covers (held flat outside the table)', () => {
    const peak: Calibration = { kind: 'table', points: [[0, 0], [1, 5], [2, 0]] };
    expect(directionOver(peak, 0.2, 0.8)).toBe('increasing');
    expect(directionOver(peak, 1, 3)).toBe('decreasing');
    expect(directionOver(peak, 0.5, 1.5)).toBe('mixed');
    expect(directionOver(peak, -5, -1)).toBe('increasing');
  });

  it('a single value or NaN is mapped whatever the calibration', () => {
    expect(directionOver({ kind: 'polynomial', coefficients: [0, 0, 1] }, 3, 3)).toBe('increasing');
    expect(directionOver({ kind: 'polynomial', coefficients: [0, 0, 1] }, NaN, NaN)).toBe('increasing');
    expect(directionOver({ kind: 'polynomial', coefficients: [0, 0, 1] }, -Infinity, 1)).toBe('mixed');
  });

  it('roots where the sign changes, to the last bit', () => {
    const [root] = rootsIn([-2, 0, 1], 0, 2); // x² − 2
    expect(root).toBeCloseTo(Math.SQRT2, 15);
    expect(rootsIn([0, -3, 0, 1], -2, 2).map((x) => Number(x.toFixed(12)))).toEqual([-1.732050807569, 0, 1.732050807569]);
  });
});

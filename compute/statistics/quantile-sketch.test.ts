import { describe, expect, it } from 'vitest';
import { QuantileSketch, SKETCH_RELATIVE_ACCURACY } from './quantile-sketch';

describe('quantile sketch', () => {
  it('merges into the sketch of both streams, negative values included', () => {
    const left = new QuantileSketch();
    const right = new QuantileSketch();
    const all: number[] = [];
    for (let i = 0; i < 2000; i += 1) {
      const value = Math.sin(i * 0.37) * 100 - 30; // mostly negative
      (i % 2 ? left : right).addStrided([value], 0, 1, 1);
      all.push(value);
    }
    left.merge(right);
    all.sort((a, b) => a - b);
    expect(left.count).toBe(2000);
    for (const q of [0.01, 0.25, 0.5, 0.75, 0.99]) {
      const truth = all[Math.floor(q * 1999)]!;
      const next = all[Math.ceil(q * 1999)]!;
      const value = left.quantile(q)!;
      expect(Math.min(Math.abs(value - truth) / Math.abs(truth), Math.abs(value - next) / Math.abs(next))).toBeLessThanOrEqual(SKETCH_RELATIVE_ACCURACY);
    }
  });

  it('leaves NaN and ±Infinity out, and is null when empty', () => {
    const sketch = new QuantileSketch();
    expect(sketch.quantile(0.5)).toBeNull();
    sketch.addStrided([NaN, Infinity, -Infinity, 4], 0, 4, 1);
    expect(sketch.count).toBe(1);
    expect(sketch.quantile(0.99)).toBe(4);
  });
});

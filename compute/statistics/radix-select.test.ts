import { describe, expect, it } from 'vitest';
import { exactQuantiles } from './exact-quantiles';
import { selectRanksFloat32 } from './radix-select';

function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
}

describe('radix selection of float32 ranks', () => {
  it('finds every asked rank as a full sort would, with negatives, both zeros, ties and huge and tiny magnitudes', () => {
    const next = random(3);
    const values = Float32Array.from({ length: 50_000 }, (_, index) => {
      const roll = next();
      if (index % 97 === 0) return index % 2 ? -0 : 0;
      if (roll < 0.1) return 7; // ties in one bucket
      if (roll < 0.15) return (next() - 0.5) * 1e-30;
      if (roll < 0.2) return (next() - 0.5) * 3e38;
      return (next() - 0.5) * 200;
    });
    const sorted = Float32Array.from(values).sort();
    const ranks = [0, 1, 2, 12_499, 12_500, 24_999, 25_000, 44_999, 49_499, 49_500, 49_998, 49_999];
    const before = values.slice();
    expect(selectRanksFloat32(values, values.length, ranks)).toEqual(ranks.map((rank) => sorted[rank]));
    expect(values).toEqual(before); // not reordered
    // Every value the same: one bucket holds them all.
    expect(selectRanksFloat32(new Float32Array(20_000).fill(-3.5), 20_000, [0, 9_999, 19_999])).toEqual([-3.5, -3.5, -3.5]);
  });

  it('gives exactQuantiles the same type-7 quantiles as a sort, above and below the size it starts at', () => {
    for (const length of [100, 16_383, 16_384, 100_001]) {
      const next = random(length);
      const values = Float32Array.from({ length }, () => Math.fround((next() - 0.3) * 1000));
      const sorted = Float64Array.from(values).sort();
      const qs = [0, 0.25, 0.5, 0.75, 0.9, 0.99, 0.999, 1, 0.375];
      const expected = qs.map((q) => {
        const rank = q * (length - 1);
        const below = Math.floor(rank);
        return sorted[below]! + (rank - below) * (sorted[Math.min(length - 1, below + 1)]! - sorted[below]!);
      });
      expect(exactQuantiles(values, length, qs), `${length}`).toEqual(expected);
    }
  });
});

import quickselect from 'quickselect';
import { selectRanksFloat32, type RankHistogram } from './radix-select';

/** From this many float32 values on, ranks are found by radix selection (see selectRanksFloat32), below by quickselect. */
const RADIX_FROM = 1 << 14;

/**
 * Exact quantiles of `values[0, length)` (which may be reordered): for each q, linear interpolation between the samples of
 * ranks ⌊q·(n − 1)⌋ and ⌈q·(n − 1)⌉ of the sorted values (NumPy's default, "type 7"). Selection, not a sort: each
 * quantile costs one partial partition of what lies above the previous one (float32: radix selection, by `histogram`
 * when it counted exactly these values). Null for every q when empty.
 */
export function exactQuantiles(values: Float32Array | Float64Array, length: number, qs: readonly number[], histogram?: RankHistogram): (number | null)[] {
  if (length === 0) return qs.map(() => null);
  if (values instanceof Float32Array && length >= RADIX_FROM) return radixQuantiles(values, length, qs, histogram);
  const order = qs.map((q, index) => ({ q, index })).sort((a, b) => a.q - b.q);
  const results: (number | null)[] = new Array<number | null>(qs.length).fill(null);
  // The package is typed for plain arrays; it only indexes and swaps, which typed arrays do the same way.
  const items = values as unknown as number[];
  let left = 0;
  for (const { q, index } of order) {
    const rank = q * (length - 1);
    const below = Math.floor(rank);
    quickselect(items, below, left, length - 1);
    const low = values[below]!;
    let value = low;
    if (rank > below) {
      // The next sample up is the smallest of what lies above the one just selected.
      let high = Infinity;
      for (let at = below + 1; at < length; at += 1) if (values[at]! < high) high = values[at]!;
      value = low + (rank - below) * (high - low);
    }
    results[index] = value;
    left = below; // everything from here on is ≥ values[below]: later (larger) ranks are selected above it
  }
  return results;
}

/** The same quantiles of float32 values by radix selection of the ranks around each q·(n − 1) (values not reordered). */
function radixQuantiles(values: Float32Array, length: number, qs: readonly number[], histogram: RankHistogram | undefined): number[] {
  const ranks = [...new Set(qs.flatMap((q) => [Math.floor(q * (length - 1)), Math.min(length - 1, Math.ceil(q * (length - 1)))]))].sort((a, b) => a - b);
  const selected = selectRanksFloat32(values, length, ranks, histogram);
  const valueOf = new Map(ranks.map((rank, index) => [rank, selected[index]!]));
  return qs.map((q) => {
    const rank = q * (length - 1);
    const below = Math.floor(rank);
    const low = valueOf.get(below)!;
    return rank > below ? low + (rank - below) * (valueOf.get(Math.ceil(rank))! - low) : low;
  });
}

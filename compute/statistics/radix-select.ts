import quickselect from 'quickselect';

/** Buckets: the top 16 bits of a float32's order-preserving key (sign, exponent, 7 mantissa bits). */
const BUCKETS = 1 << 16;

/**
 * How many float32 values fall in each bucket of the top bits of their order-preserving key, built as values are
 * kept (`add`, while they are in cache) so that selecting ranks later needs one pass over them, not two.
 */
export class RankHistogram {
  readonly counts = new Uint32Array(BUCKETS);
  /** Values counted since the last reset. */
  total = 0;

  /** Counts `values[from, to)`. */
  add(values: Float32Array, from: number, to: number): void {
    const bits = new Uint32Array(values.buffer, values.byteOffset + from * 4, to - from);
    const counts = this.counts;
    for (let index = 0; index < bits.length; index += 1) counts[bucketOf(bits[index]!)]! += 1;
    this.total += to - from;
  }

  reset(): void {
    if (this.total > 0) this.counts.fill(0);
    this.total = 0;
  }
}

/**
 * The values of ranks `ranks` (sorted ascending, each in [0, length)) among `values[0, length)` of a Float32Array,
 * without reordering it: a histogram of the top bits of each value's order-preserving key (given, when the values
 * were counted as they came, else made here), then one pass gathering the values of only the buckets that hold a
 * wanted rank, and a selection within those small buckets. Several times faster than one quickselect per rank for
 * millions of values. The values hold no NaN (the reducer keeps finite values only).
 */
export function selectRanksFloat32(values: Float32Array, length: number, ranks: readonly number[], histogram?: RankHistogram): number[] {
  let counted = histogram?.total === length ? histogram : undefined;
  if (!counted) {
    counted = new RankHistogram();
    counted.add(values, 0, length);
  }
  const counts = counted.counts;
  // The bucket of each rank and the rank within it; the buckets to gather, each given a slot.
  const slotOf = new Int32Array(BUCKETS).fill(-1);
  const slotSizes: number[] = [];
  const wanted: { slot: number; within: number }[] = [];
  let bucket = 0;
  let below = 0; // values in the buckets before `bucket`
  for (const rank of ranks) {
    while (below + counts[bucket]! <= rank) below += counts[bucket++]!;
    if (slotOf[bucket] === -1) {
      slotOf[bucket] = slotSizes.length;
      slotSizes.push(counts[bucket]!);
    }
    wanted.push({ slot: slotOf[bucket]!, within: rank - below });
  }
  const slots = slotSizes.map((size) => new Float32Array(size));
  const filled = new Uint32Array(slots.length);
  const bits = new Uint32Array(values.buffer, values.byteOffset, length);
  for (let index = 0; index < length; index += 1) {
    const slot = slotOf[bucketOf(bits[index]!)]!;
    if (slot >= 0) slots[slot]![filled[slot]!++] = values[index]!;
  }
  // Ranks in one bucket come in ascending order: each selection works above the previous one.
  const lowest = new Uint32Array(slots.length);
  return wanted.map(({ slot, within }) => {
    const items = slots[slot]! as unknown as number[]; // the package indexes and swaps, as typed arrays allow
    quickselect(items, within, lowest[slot]!, slots[slot]!.length - 1);
    lowest[slot] = within;
    return slots[slot]![within]!;
  });
}

/** The top 16 bits of the key that orders float32 bit patterns as their values (negatives flipped, positives above). */
function bucketOf(pattern: number): number {
  return ((pattern ^ ((pattern >> 31) | 0x80000000)) >>> 16) & 0xffff;
}

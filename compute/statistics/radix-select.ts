import quickselect from 'quickselect';

/** Buckets of the first pass: the top 16 bits of a float32's order-preserving key (sign, exponent, 7 mantissa bits). */
const BUCKETS = 1 << 16;

/**
 * The values of ranks `ranks` (sorted ascending, each in [0, length)) among `values[0, length)` of a Float32Array,
 * without reordering it: two passes over the values — a histogram of the top bits of each value's order-preserving
 * key, then the values of only the buckets holding a wanted rank gathered — and a selection within those small
 * buckets. Two light passes instead of one quickselect per rank over what lies above the previous one: several times
 * faster for millions of values. The values hold no NaN (the reducer keeps finite values only).
 */
export function selectRanksFloat32(values: Float32Array, length: number, ranks: readonly number[]): number[] {
  const bits = new Uint32Array(values.buffer, values.byteOffset, length);
  const histogram = new Uint32Array(BUCKETS);
  for (let index = 0; index < length; index += 1) histogram[bucketOf(bits[index]!)]! += 1;
  // The bucket of each rank and the rank within it; the buckets to gather, each given a slot.
  const slotOf = new Int32Array(BUCKETS).fill(-1);
  const slotSizes: number[] = [];
  const wanted: { slot: number; within: number }[] = [];
  let bucket = 0;
  let below = 0; // values in the buckets before `bucket`
  for (const rank of ranks) {
    while (below + histogram[bucket]! <= rank) below += histogram[bucket++]!;
    if (slotOf[bucket] === -1) {
      slotOf[bucket] = slotSizes.length;
      slotSizes.push(histogram[bucket]!);
    }
    wanted.push({ slot: slotOf[bucket]!, within: rank - below });
  }
  const slots = slotSizes.map((size) => new Float32Array(size));
  const filled = new Uint32Array(slots.length);
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

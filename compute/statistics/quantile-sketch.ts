import { DDSketch } from '@datadog/sketches-js';

/**
 * Relative accuracy of the sketch: a sketched q-quantile is within 0.5 % (of its own magnitude) of the sample of rank
 * q·(n − 1), rounded either way. DDSketch guarantees this bound whatever the data; it was picked over t-digest
 * (usually closer, but with no bound to state, and about 10× slower per value in our measurement) — see README.
 */
export const SKETCH_RELATIVE_ACCURACY = 0.005;

/**
 * A mergeable quantile sketch (DDSketch) over the finite values of a slice too long to keep exactly. Merging two
 * sketches gives the sketch of both streams, so longer windows are merged from their slices, never averaged.
 */
export class QuantileSketch {
  private readonly sketch = new DDSketch({ relativeAccuracy: SKETCH_RELATIVE_ACCURACY });

  get count(): number {
    return this.sketch.count;
  }

  /** Adds the finite values among `data[offset]`, `data[offset + stride]`, … below `end`. */
  addStrided(data: ArrayLike<number>, offset: number, end: number, stride: number): void {
    const sketch = this.sketch;
    for (let index = offset; index < end; index += stride) {
      const value = data[index] as number;
      if (value - value === 0) sketch.accept(value);
    }
  }

  merge(other: QuantileSketch): void {
    const mine = this.sketch;
    const theirs = other.sketch;
    if (theirs.count === 0) return;
    // The package's merge forgets the negative values' store when both sketches hold values (DataDog/sketches-js#22).
    if (mine.count > 0) mine.negativeStore.merge(theirs.negativeStore);
    mine.merge(theirs);
  }

  /** The q-quantile (0 ≤ q ≤ 1); null when empty. */
  quantile(q: number): number | null {
    if (this.sketch.count === 0) return null;
    // The extremes are known exactly: clamp to them.
    return Math.min(this.sketch.max, Math.max(this.sketch.min, this.sketch.getValueAtQuantile(q)));
  }
}

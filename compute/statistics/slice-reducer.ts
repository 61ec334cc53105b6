import { exactQuantiles } from './exact-quantiles';
import { Moments } from './moments';
import { QuantileSketch } from './quantile-sketch';

/** One channel's statistics for one slice. `values` holds each asked statistic by name (null where undefined). */
export interface ChannelSliceStatistics {
  values: Record<string, number | null>;
  /** NaN and ±Infinity in the slice (left out of every statistic); absent when no sample was read (min/max from the pyramid). */
  nan?: number;
  infinite?: number;
  /** Whether the quantiles are exact; false: from the sketch, within SKETCH_RELATIVE_ACCURACY. */
  exact: boolean;
}

/**
 * The reducer of one channel over one slice: moments of the finite values, and their quantiles — exact while the
 * slice's values fit `exactLimit` (kept in a buffer, selected at the end), else from a mergeable sketch the buffer is
 * poured into. Reused from slice to slice (`reset`), so its buffer is allocated once.
 */
export class SliceReducer {
  private moments = new Moments();
  private buffer: Float32Array | Float64Array | undefined;
  private used = 0;
  private sketch: QuantileSketch | undefined;

  /**
   * @param quantiles the quantiles (0–1) to compute; none: no values are kept.
   * @param exactLimit values kept exactly per slice before switching to the sketch.
   * @param precision float32 when the samples are float32 or narrower (exact in float32), else float64.
   */
  constructor(
    private readonly quantiles: readonly number[],
    private readonly exactLimit: number,
    private readonly precision: 'float32' | 'float64',
  ) {}

  /** Adds one channel of interleaved samples: `data[offset]`, `data[offset + stride]`, … below `end`. */
  addStrided(data: ArrayLike<number>, offset: number, end: number, stride: number): void {
    this.moments.addStrided(data, offset, end, stride);
    if (this.quantiles.length === 0) return;
    if (this.sketch) {
      this.sketch.addStrided(data, offset, end, stride);
      return;
    }
    const buffer = (this.buffer ??= new (this.precision === 'float32' ? Float32Array : Float64Array)(Math.min(this.exactLimit, 1 << 16)));
    let kept = this.used;
    let room = buffer;
    for (let index = offset; index < end; index += stride) {
      const value = data[index] as number;
      if (value - value !== 0) continue;
      if (kept === room.length) {
        if (kept >= this.exactLimit) {
          this.used = kept;
          this.pourIntoSketch(data, index, end, stride);
          return;
        }
        room = this.grow(kept);
      }
      room[kept++] = value;
    }
    this.used = kept;
  }

  /** The statistics asked (`names`, with `quantileOf` mapping quantile names to q), for the values added since the last reset. */
  finish(names: readonly string[], quantileOf: ReadonlyMap<string, number>): ChannelSliceStatistics {
    const summary = this.moments.summary();
    const qs = this.quantiles;
    const sketched = this.sketch;
    const quantileValues = qs.length === 0 ? [] : sketched ? qs.map((q) => sketched.quantile(q)) : exactQuantiles(this.buffer ?? new Float64Array(0), this.used, qs);
    const byQuantile = new Map(qs.map((q, index) => [q, quantileValues[index] ?? null]));
    const values: Record<string, number | null> = {};
    for (const name of names) {
      const q = quantileOf.get(name);
      if (q !== undefined) values[name] = byQuantile.get(q) ?? null;
      else if (name === 'sum') values[name] = summary.mean === null ? 0 : summary.mean * summary.count;
      else values[name] = summary[name as 'count' | 'min' | 'max' | 'mean' | 'rms' | 'std'];
    }
    return { values, nan: summary.nan, infinite: summary.infinite, exact: !sketched };
  }

  /** Makes room for `values` (up to the limit) at once: a slice of known length is then kept without regrowing. */
  reserve(values: number): void {
    if (this.quantiles.length === 0) return;
    const wanted = Math.min(this.exactLimit, values);
    if ((this.buffer?.length ?? 0) >= wanted) return;
    const larger = new (this.precision === 'float32' ? Float32Array : Float64Array)(wanted);
    if (this.buffer && this.used > 0) larger.set(this.buffer.subarray(0, this.used));
    this.buffer = larger;
  }

  reset(): void {
    this.moments = new Moments();
    this.used = 0;
    this.sketch = undefined;
  }

  /** Doubles the buffer (up to the limit): a short slice never costs the whole limit's memory. */
  private grow(kept: number): Float32Array | Float64Array {
    const old = this.buffer!;
    const larger = new (old.constructor as Float32ArrayConstructor | Float64ArrayConstructor)(Math.min(this.exactLimit, old.length * 2));
    larger.set(old.subarray(0, kept));
    this.buffer = larger;
    return larger;
  }

  private pourIntoSketch(data: ArrayLike<number>, from: number, end: number, stride: number): void {
    const sketch = new QuantileSketch();
    sketch.addStrided(this.buffer!, 0, this.used, 1);
    sketch.addStrided(data, from, end, stride);
    this.sketch = sketch;
    this.used = 0;
  }
}

import { exactQuantiles } from './exact-quantiles';
import { Moments } from './moments';
import { QuantileSketch } from './quantile-sketch';
import { RankHistogram } from './radix-select';

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
 * poured into. While exact, each run of samples is passed over once (finite values kept and summed, NaN and ±Infinity
 * counted); what was kept, still in cache, gives the run's squared deviations and (float32) the rank histogram the
 * quantiles are selected by — so the end of a slice, which holds up the reads, has little left to do.
 * Reused from slice to slice (`reset`), so its buffer is allocated once.
 */
export class SliceReducer {
  private moments = new Moments();
  private buffer: Float32Array | Float64Array | undefined;
  private used = 0;
  private sketch: QuantileSketch | undefined;
  /** Of the float32 values kept (radix selection); undefined for float64. */
  private readonly histogram: RankHistogram | undefined;

  /**
   * @param quantiles the quantiles (0–1) to compute; none: no values are kept.
   * @param exactLimit values kept exactly per slice before switching to the sketch.
   * @param precision float32 when the samples are float32 or narrower (exact in float32), else float64.
   */
  constructor(
    private readonly quantiles: readonly number[],
    private readonly exactLimit: number,
    private readonly precision: 'float32' | 'float64',
  ) {
    this.histogram = precision === 'float32' && quantiles.length > 0 ? new RankHistogram() : undefined;
  }

  /** Adds one channel of interleaved samples: `data[offset]`, `data[offset + stride]`, … below `end`. */
  addStrided(data: ArrayLike<number>, offset: number, end: number, stride: number): void {
    if (this.quantiles.length === 0 || this.sketch) {
      this.moments.addStrided(data, offset, end, stride);
      this.sketch?.addStrided(data, offset, end, stride);
      return;
    }
    const buffer = (this.buffer ??= new (this.precision === 'float32' ? Float32Array : Float64Array)(Math.min(this.exactLimit, 1 << 16)));
    const first = this.used;
    let kept = first;
    let room = buffer;
    let nan = 0;
    let infinite = 0;
    let sum = 0;
    let squares = 0;
    let min = Infinity;
    let max = -Infinity;
    let index = offset;
    for (; index < end; index += stride) {
      const value = data[index] as number;
      if (value - value !== 0) {
        // NaN or ±Infinity (both give NaN here)
        if (value !== value) nan += 1;
        else infinite += 1;
        continue;
      }
      if (kept === room.length) {
        if (kept >= this.exactLimit) break;
        room = this.grow(kept);
      }
      room[kept++] = value;
      sum += value;
      squares += value * value;
      if (value < min) min = value;
      if (value > max) max = value;
    }
    this.used = kept;
    this.moments.nan += nan;
    this.moments.infinite += infinite;
    if (kept > first) {
      // Two passes per run, the second over the run just kept (as Moments.addStrided does over the samples).
      const mean = sum / (kept - first);
      let deviations = 0;
      for (let at = first; at < kept; at += 1) {
        const deviation = room[at]! - mean;
        deviations += deviation * deviation;
      }
      this.moments.addRun(kept - first, sum, squares, deviations, min, max);
      if (this.histogram) this.histogram.add(room as Float32Array, first, kept);
    }
    if (index < end) this.pourIntoSketch(data, index, end, stride);
  }

  /** The statistics asked (`names`, with `quantileOf` mapping quantile names to q), for the values added since the last reset. */
  finish(names: readonly string[], quantileOf: ReadonlyMap<string, number>): ChannelSliceStatistics {
    const summary = this.moments.summary();
    const qs = this.quantiles;
    const sketched = this.sketch;
    const quantileValues = qs.length === 0 ? [] : sketched ? qs.map((q) => sketched.quantile(q)) : exactQuantiles(this.buffer ?? new Float64Array(0), this.used, qs, this.histogram);
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
    this.histogram?.reset();
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
    this.sketch = sketch;
    this.used = 0;
    this.addStrided(data, from, end, stride); // the rest, now into the sketch and the moments
  }
}


/** Count, min, max, mean, std and RMS of the finite values; NaN and ±Infinity counted apart. */
export interface MomentSummary {
  count: number;
  nan: number;
  infinite: number;
  min: number | null;
  max: number | null;
  mean: number | null;
  /** Sample standard deviation (n − 1); null below two values. */
  std: number | null;
  rms: number | null;
}

/**
 * Moments of the finite values of a stream, mergeable (the whole-array statistics of the processing chain and each
 * timeslice's share this code). Values arrive in runs; each run is summed in two passes about its own mean and then
 * merged (Chan et al.), which is as stable as Welford's update per value without its division per value.
 */
export class Moments {
  count = 0;
  nan = 0;
  infinite = 0;
  min = Infinity;
  max = -Infinity;
  mean = 0;
  /** Sum of squared deviations from the mean. */
  m2 = 0;
  /** Sum of squares (RMS). */
  squares = 0;

  /** Adds `data[offset]`, `data[offset + stride]`, … below `end` (one channel of interleaved samples). */
  addStrided(data: ArrayLike<number>, offset: number, end: number, stride: number): void {
    let count = 0;
    let nan = 0;
    let infinite = 0;
    let sum = 0;
    let squares = 0;
    let min = this.min;
    let max = this.max;
    for (let index = offset; index < end; index += stride) {
      const value = data[index] as number;
      if (value - value !== 0) {
        // NaN or ±Infinity (both give NaN here)
        if (value !== value) nan += 1;
        else infinite += 1;
        continue;
      }
      count += 1;
      sum += value;
      squares += value * value;
      if (value < min) min = value;
      if (value > max) max = value;
    }
    this.nan += nan;
    this.infinite += infinite;
    this.min = min;
    this.max = max;
    if (count === 0) return;
    const mean = sum / count;
    let m2 = 0;
    for (let index = offset; index < end; index += stride) {
      const deviation = (data[index] as number) - mean;
      if (deviation - deviation === 0) m2 += deviation * deviation;
    }
    this.combine(count, mean, m2, squares);
  }

  /**
   * Adds a run of finite values summarised by the caller: its count, sum of squares, min and max, and `deviations`
   * its sum of squared deviations from its own mean `sum / count` (two passes, as addStrided makes them).
   */
  addRun(count: number, sum: number, squares: number, deviations: number, min: number, max: number): void {
    if (count === 0) return;
    if (min < this.min) this.min = min;
    if (max > this.max) this.max = max;
    this.combine(count, sum / count, deviations, squares);
  }

  /** Adds another stream's moments (as if its values had come after these). */
  merge(other: Moments): void {
    this.nan += other.nan;
    this.infinite += other.infinite;
    if (other.min < this.min) this.min = other.min;
    if (other.max > this.max) this.max = other.max;
    if (other.count > 0) this.combine(other.count, other.mean, other.m2, other.squares);
  }

  summary(): MomentSummary {
    const { count, nan, infinite } = this;
    return {
      count,
      nan,
      infinite,
      min: count ? this.min : null,
      max: count ? this.max : null,
      mean: count ? this.mean : null,
      std: count > 1 ? Math.sqrt(this.m2 / (count - 1)) : null,
      rms: count ? Math.sqrt(this.squares / count) : null,
    };
  }

  private combine(count: number, mean: number, m2: number, squares: number): void {
    const total = this.count + count;
    const delta = mean - this.mean;
    this.mean += (delta * count) / total;
    this.m2 += m2 + (delta * delta * this.count * count) / total;
    this.squares += squares;
    this.count = total;
  }
}

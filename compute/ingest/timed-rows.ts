import type { Storage } from '../../storage';
import { appendSamples, iterateChunks } from '../../storage/arrays';

/**
 * Rows of an array with a time channel (see DataArrayDocument.time_channel) from one channel's values and their
 * times: [value, time − origin] per sample, in seconds, as float64 (a date in seconds needs more than float32's digits).
 */
export function timedRows(values: ArrayLike<number>, times: ArrayLike<number>, origin: number): Float64Array {
  const rows = new Float64Array(values.length * 2);
  for (let row = 0; row < values.length; row += 1) {
    rows[row * 2] = values[row]!;
    rows[row * 2 + 1] = times[row]! - origin;
  }
  return rows;
}

/** Samples copied per append when an evenly spaced array is rewritten with its times. */
const COPY_SAMPLES = 1 << 20;

/**
 * Appends the samples of evenly spaced array `from` to the timed array `to`, chunk by chunk (whatever its size), the
 * time of sample i being `firstTime + i / rate` seconds (less `origin`): for a file whose times turn uneven after
 * its first arrays were written as evenly spaced.
 */
export async function copyWithTimes(storage: Storage, from: string, to: string, { firstTime, rate, origin }: { firstTime: number; rate: number; origin: number }, signal?: AbortSignal): Promise<void> {
  for await (const { start, samples } of iterateChunks(storage, from, { chunkSamples: COPY_SAMPLES, ...(signal ? { signal } : {}) })) {
    const times = Float64Array.from({ length: samples.data.length }, (_, index) => firstTime + (start + index) / rate);
    await appendSamples(storage, to, timedRows(samples.data, times, origin), signal ? { signal } : {});
  }
}

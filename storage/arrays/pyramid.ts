import type { NumericArray } from './dtypes';

/**
 * The min/max pyramid: for every block of `base · 2^level` samples and every channel, four numbers —
 * min, max, first, last — stored block by block (`[min, max, first, last]` × channels). Level 0 is computed from the
 * samples, level k+1 from pairs of level-k blocks, so appending data only adds blocks at the end of each level.
 *
 * Values: min and max skip NaN (a block of only NaN has NaN for both); ±Infinity are ordinary values (they are the
 * extremes); first and last are the block's first and last samples as they are (NaN included).
 */
export const SUMMARY_FIELDS = 4;
export const MIN = 0;
export const MAX = 1;
export const FIRST = 2;
export const LAST = 3;

/** Level-0 summaries of whole blocks of `samples` (interleaved, `channels` per sample). A trailing partial block is left out. */
export function summarizeSamples(samples: NumericArray, channels: number, base: number, out: Float32Array | Float64Array): number {
  const sampleCount = samples.length / channels;
  const blocks = Math.floor(sampleCount / base);
  for (let block = 0; block < blocks; block += 1) {
    for (let channel = 0; channel < channels; channel += 1) {
      let min = Infinity;
      let max = -Infinity;
      let any = false;
      const from = block * base * channels + channel;
      const to = from + base * channels;
      for (let index = from; index < to; index += channels) {
        const value = samples[index] as number;
        if (value !== value) continue; // NaN
        any = true;
        if (value < min) min = value;
        if (value > max) max = value;
      }
      const at = (block * channels + channel) * SUMMARY_FIELDS;
      out[at + MIN] = any ? min : NaN;
      out[at + MAX] = any ? max : NaN;
      out[at + FIRST] = samples[from] as number;
      out[at + LAST] = samples[to - channels] as number;
    }
  }
  return blocks;
}

/** Summaries of the next level: each block merges two consecutive blocks of `lower`. A trailing odd block is left out. */
export function mergeLevel(lower: Float32Array | Float64Array, channels: number, out: Float32Array | Float64Array): number {
  const width = channels * SUMMARY_FIELDS;
  const blocks = Math.floor(lower.length / width / 2);
  for (let block = 0; block < blocks; block += 1) {
    for (let channel = 0; channel < channels; channel += 1) {
      const left = (2 * block * channels + channel) * SUMMARY_FIELDS;
      const right = left + width;
      const at = (block * channels + channel) * SUMMARY_FIELDS;
      out[at + MIN] = nanMin(lower[left + MIN] as number, lower[right + MIN] as number);
      out[at + MAX] = nanMax(lower[left + MAX] as number, lower[right + MAX] as number);
      out[at + FIRST] = lower[left + FIRST] as number;
      out[at + LAST] = lower[right + LAST] as number;
    }
  }
  return blocks;
}

/** Minimum skipping NaN (NaN only when both are). */
export function nanMin(a: number, b: number): number {
  if (a !== a) return b;
  if (b !== b) return a;
  return a < b ? a : b;
}

export function nanMax(a: number, b: number): number {
  if (a !== a) return b;
  if (b !== b) return a;
  return a > b ? a : b;
}

/** How many whole blocks of level `level` `sampleCount` samples make. */
export function blockCount(sampleCount: number, base: number, level: number): number {
  return Math.floor(sampleCount / (base * 2 ** level));
}

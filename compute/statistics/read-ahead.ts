import { throwIfAborted } from '../../gadgets/core/cancel';
import type { NumericArray } from '../../storage/arrays';
import type { ArraySource } from './array-source';

export interface SampleRange {
  start: number;
  end: number;
}

/**
 * Reads `ranges` of `source` in order, the next read already in flight while the caller works on this one (reading
 * and reducing overlap). Stops between ranges when `signal` aborts, or when the caller stops iterating.
 */
export async function* readAhead(source: ArraySource, ranges: readonly SampleRange[], signal?: AbortSignal): AsyncGenerator<SampleRange & { data: NumericArray }> {
  const readAt = (index: number) => {
    const next = ranges[index];
    if (!next) return undefined;
    const pending = source.read(next.start, next.end, signal);
    pending.catch(() => {}); // awaited below; not an unhandled rejection if the work before it fails or stops
    return pending;
  };
  let pending = readAt(0);
  for (let index = 0; index < ranges.length; index += 1) {
    const data = await pending!;
    throwIfAborted(signal);
    pending = readAt(index + 1);
    yield { ...ranges[index]!, data };
  }
}

/** [0, samples) in ranges of `chunk` samples. */
export function chunkRanges(samples: number, chunk: number): SampleRange[] {
  return Array.from({ length: Math.ceil(samples / chunk) }, (_, index) => ({ start: index * chunk, end: Math.min(samples, (index + 1) * chunk) }));
}

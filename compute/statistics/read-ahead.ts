import { throwIfAborted } from '../../gadgets/core/cancel';
import type { NumericArray } from '../../storage/arrays';
import type { ArraySource } from './array-source';

export interface SampleRange {
  start: number;
  end: number;
}

/**
 * Reads kept in flight ahead of the one being worked on. One: more measured no faster in bench:stats (this thread's
 * own work bounds it, reading included), and in a worker reads already arrived are worked through before a
 * cancellation's message is seen, so each one more is a chunk more of work after a cancel.
 */
export const READS_AHEAD = 1;

/**
 * Reads `ranges` of `source` in order, up to `depth` reads in flight ahead of the caller's work on the current one
 * (reading and reducing overlap). Stops between ranges when `signal` aborts, or when the caller stops iterating.
 */
export async function* readAhead(source: ArraySource, ranges: readonly SampleRange[], signal?: AbortSignal, depth = READS_AHEAD): AsyncGenerator<SampleRange & { data: NumericArray }> {
  const inFlight: Promise<NumericArray>[] = [];
  let next = 0;
  const fill = () => {
    while (next < ranges.length && inFlight.length < depth) {
      const { start, end } = ranges[next++]!;
      const pending = source.read(start, end, signal);
      pending.catch(() => {}); // awaited below; not an unhandled rejection if the work before it fails or stops
      inFlight.push(pending);
    }
  };
  fill();
  for (let index = 0; index < ranges.length; index += 1) {
    const data = await inFlight.shift()!;
    throwIfAborted(signal);
    fill();
    yield { ...ranges[index]!, data };
  }
}

/** [0, samples) in ranges of `chunk` samples. */
export function chunkRanges(samples: number, chunk: number): SampleRange[] {
  return Array.from({ length: Math.ceil(samples / chunk) }, (_, index) => ({ start: index * chunk, end: Math.min(samples, (index + 1) * chunk) }));
}

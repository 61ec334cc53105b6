import type { Envelope } from '../../storage/arrays';
import { nanMax, nanMin } from '../../storage/arrays/pyramid';

const CHUNK = 1 << 16;

/**
 * The M4 envelope of one channel of samples [start, end) for `width` columns, from the samples themselves (for sources
 * without a pyramid, such as a derived signal): read chunk by chunk, so memory stays O(width + chunk) whatever the
 * range; the time is O(range). Columns as the pyramid's raw envelope makes them: every sample its own when they fit 4 per
 * pixel, else `width` columns of equal share.
 */
export async function envelopeOfSamples(read: (start: number, end: number) => Promise<ArrayLike<number>>, start: number, end: number, width: number): Promise<Envelope> {
  const span = Math.max(0, end - start);
  const columns = Math.max(1, Math.floor(width));
  const raw = span <= 4 * columns;
  const count = span === 0 ? 0 : raw ? span : columns;
  const starts = new Float64Array(count);
  const ends = new Float64Array(count);
  for (let column = 0; column < count; column += 1) {
    starts[column] = start + (raw ? column : Math.floor((column * span) / count));
    ends[column] = start + (raw ? column + 1 : Math.floor(((column + 1) * span) / count));
  }
  const channel = { first: new Float64Array(count), last: new Float64Array(count), min: new Float64Array(count).fill(NaN), max: new Float64Array(count).fill(NaN) };
  let column = 0;
  for (let from = start; from < end; from += CHUNK) {
    const to = Math.min(from + CHUNK, end);
    const values = await read(from, to);
    for (let index = from; index < to; index += 1) {
      while (index >= ends[column]!) column += 1;
      const value = values[index - from] as number;
      if (index === starts[column]) channel.first[column] = value;
      if (index === ends[column]! - 1) channel.last[column] = value;
      channel.min[column] = nanMin(channel.min[column]!, value);
      channel.max[column] = nanMax(channel.max[column]!, value);
    }
  }
  return { raw, starts, ends, channels: [channel] };
}

import type { CallOptions, Storage } from '../types';
import { channelCount, readRange, readSummaries, sampleCount, type DataArrayDocument } from './data-array';
import { FIRST, LAST, MAX, MIN, SUMMARY_FIELDS, blockCount, nanMax, nanMin } from './pyramid';

/**
 * What a graph draws for samples [start, end): consecutive columns tiling the range, each with the exact first,
 * last, min and max of its samples per channel (the M4 envelope). When the range has few samples (≤ 4 per pixel), every
 * sample is its own column (`raw`).
 */
export interface Envelope {
  raw: boolean;
  /** Column bounds: column i covers samples [starts[i], ends[i]). */
  starts: Float64Array;
  ends: Float64Array;
  /** Per channel, per column. min/max skip NaN (NaN when a column has only NaN). */
  channels: { first: Float64Array; last: Float64Array; min: Float64Array; max: Float64Array }[];
}

/**
 * The M4 envelope of samples [start, end) for a graph `width` pixels wide, reading O(width) values whatever the range:
 * columns are whole pyramid blocks of the smallest level giving at most `width` of them, plus one column at each edge
 * for the partial blocks (summarised from level 0 and at most `base` raw samples). So at most about 4·(width + 2)
 * points, exact for the columns returned. `end` beyond the array is clamped.
 */
export async function readEnvelope(
  storage: Storage,
  doc: DataArrayDocument,
  id: string,
  start: number,
  end: number,
  width: number,
  options: CallOptions = {},
): Promise<Envelope> {
  const count = sampleCount(doc);
  const from = Math.max(0, Math.min(Math.floor(start), count));
  const to = Math.max(from, Math.min(Math.ceil(end), count));
  const columns = Math.max(1, Math.floor(width));
  const { base } = doc.pyramid;
  const span = to - from;
  if (span <= 4 * columns || span < 2 * base) return rawEnvelope(storage, doc, id, from, to, columns, options);

  // Smallest block size (base · 2^level) giving at most `columns` whole blocks in the range.
  let level = 0;
  while (base * 2 ** level * columns < span) level += 1;
  const size = base * 2 ** level;
  const firstBlock = Math.ceil(from / size);
  const lastBlock = Math.floor(to / size);
  const builder = new EnvelopeBuilder(channelCount(doc), lastBlock - firstBlock + 2);

  const [head, middle, tail] = await Promise.all([
    edgeColumn(storage, doc, id, from, Math.min(firstBlock * size, to), options),
    readSummaries(storage, doc, id, level, firstBlock, Math.min(lastBlock, blockCount(count, base, level)), options),
    lastBlock >= firstBlock ? edgeColumn(storage, doc, id, Math.max(lastBlock * size, from), to, options) : Promise.resolve(undefined),
  ]);
  if (head) builder.add(from, Math.min(firstBlock * size, to), head);
  const channels = channelCount(doc);
  for (let block = 0; block < middle.length / (channels * SUMMARY_FIELDS); block += 1) {
    const offset = block * channels * SUMMARY_FIELDS;
    builder.add((firstBlock + block) * size, (firstBlock + block + 1) * size, middle.subarray(offset, offset + channels * SUMMARY_FIELDS));
  }
  if (tail) builder.add(lastBlock * size, to, tail);
  return builder.finish(false);
}

/** Summary of samples [from, to) (shorter than one block of the chosen level): level-0 blocks inside, raw samples around. */
async function edgeColumn(storage: Storage, doc: DataArrayDocument, id: string, from: number, to: number, options: CallOptions): Promise<Float64Array | undefined> {
  if (to <= from) return undefined;
  const { base } = doc.pyramid;
  const channels = channelCount(doc);
  const innerFrom = Math.min(Math.ceil(from / base) * base, to);
  const innerTo = Math.max(Math.floor(to / base) * base, innerFrom);
  const [before, inner, after] = await Promise.all([
    readRange(storage, doc, id, from, innerFrom, options),
    readSummaries(storage, doc, id, 0, innerFrom / base, innerTo / base, options),
    readRange(storage, doc, id, innerTo, to, options),
  ]);
  const summary = new Float64Array(channels * SUMMARY_FIELDS);
  for (let channel = 0; channel < channels; channel += 1) {
    const at = channel * SUMMARY_FIELDS;
    let min = NaN;
    let max = NaN;
    const values: number[] = [];
    for (let row = 0; row < before.shape[0]!; row += 1) values.push(before.get(row, channel));
    const blocks = inner.length / (channels * SUMMARY_FIELDS);
    for (const value of values) {
      min = nanMin(min, value);
      max = nanMax(max, value);
    }
    for (let block = 0; block < blocks; block += 1) {
      const offset = (block * channels + channel) * SUMMARY_FIELDS;
      min = nanMin(min, inner[offset + MIN] as number);
      max = nanMax(max, inner[offset + MAX] as number);
    }
    for (let row = 0; row < after.shape[0]!; row += 1) {
      const value = after.get(row, channel);
      min = nanMin(min, value);
      max = nanMax(max, value);
    }
    const firstValue = before.shape[0]! > 0 ? before.get(0, channel) : blocks > 0 ? (inner[channel * SUMMARY_FIELDS + FIRST] as number) : after.get(0, channel);
    const lastRow = after.shape[0]! - 1;
    const lastValue =
      lastRow >= 0 ? after.get(lastRow, channel) : blocks > 0 ? (inner[((blocks - 1) * channels + channel) * SUMMARY_FIELDS + LAST] as number) : before.get(before.shape[0]! - 1, channel);
    summary[at + MIN] = min;
    summary[at + MAX] = max;
    summary[at + FIRST] = firstValue;
    summary[at + LAST] = lastValue;
  }
  return summary;
}

/** Few samples: every sample a column when they fit 4 per pixel, else M4 over `columns` equal columns. */
async function rawEnvelope(storage: Storage, doc: DataArrayDocument, id: string, from: number, to: number, columns: number, options: CallOptions): Promise<Envelope> {
  const samples = await readRange(storage, doc, id, from, to, options);
  const channels = channelCount(doc);
  const span = to - from;
  const raw = span <= 4 * columns;
  const count = raw ? span : columns;
  const builder = new EnvelopeBuilder(channels, count);
  const summary = new Float64Array(channels * SUMMARY_FIELDS);
  for (let column = 0; column < count; column += 1) {
    const first = raw ? column : Math.floor((column * span) / count);
    const last = raw ? column + 1 : Math.floor(((column + 1) * span) / count);
    for (let channel = 0; channel < channels; channel += 1) {
      let min = NaN;
      let max = NaN;
      for (let row = first; row < last; row += 1) {
        const value = samples.get(row, channel);
        min = nanMin(min, value);
        max = nanMax(max, value);
      }
      const at = channel * SUMMARY_FIELDS;
      summary[at + MIN] = min;
      summary[at + MAX] = max;
      summary[at + FIRST] = samples.get(first, channel);
      summary[at + LAST] = samples.get(last - 1, channel);
    }
    builder.add(from + first, from + last, summary);
  }
  return builder.finish(raw);
}

class EnvelopeBuilder {
  private count = 0;
  private readonly starts: Float64Array;
  private readonly ends: Float64Array;
  private readonly channels: Envelope['channels'];

  constructor(
    private readonly channelTotal: number,
    capacity: number,
  ) {
    this.starts = new Float64Array(capacity);
    this.ends = new Float64Array(capacity);
    this.channels = Array.from({ length: channelTotal }, () => ({
      first: new Float64Array(capacity),
      last: new Float64Array(capacity),
      min: new Float64Array(capacity),
      max: new Float64Array(capacity),
    }));
  }

  /** Adds a column from summaries laid out `[min, max, first, last]` × channels. */
  add(start: number, end: number, summary: ArrayLike<number>): void {
    const column = this.count;
    this.count += 1;
    this.starts[column] = start;
    this.ends[column] = end;
    for (let channel = 0; channel < this.channelTotal; channel += 1) {
      const at = channel * SUMMARY_FIELDS;
      const target = this.channels[channel]!;
      target.min[column] = summary[at + MIN] as number;
      target.max[column] = summary[at + MAX] as number;
      target.first[column] = summary[at + FIRST] as number;
      target.last[column] = summary[at + LAST] as number;
    }
  }

  finish(raw: boolean): Envelope {
    const count = this.count;
    return {
      raw,
      starts: this.starts.slice(0, count),
      ends: this.ends.slice(0, count),
      channels: this.channels.map((channel) => ({
        first: channel.first.slice(0, count),
        last: channel.last.slice(0, count),
        min: channel.min.slice(0, count),
        max: channel.max.slice(0, count),
      })),
    };
  }
}

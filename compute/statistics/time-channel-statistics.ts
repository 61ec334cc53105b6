import { channelCount, sampleCount, summaryDType, type DataArrayDocument } from '../../storage/arrays';
import type { ArraySource } from './array-source';
import type { StatisticsRequest } from './parameters';
import { chunkRanges, readAhead } from './read-ahead';
import { noStatistics, type SliceJob } from './slice-job';
import { SliceReducer } from './slice-reducer';
import { NoTimeAxisError, TimeChannelError } from './statistics-error';
import type { TimesliceOptions } from './timeslice-statistics';

/** Where an array's time channel counts from: `start_time`, else 1970-01-01T00:00Z (see DataArrayDocument.time_channel). */
export function timeChannelOrigin(doc: DataArrayDocument): number {
  if (doc.start_time === undefined) return 0;
  const origin = Date.parse(doc.start_time);
  if (Number.isNaN(origin)) throw new NoTimeAxisError(`“${doc.title}” has a time channel but its start time “${doc.start_time}” is not a date.`, 'array');
  return origin;
}

/**
 * The instants an array with a time channel covers: `first` its first sample's, `end` the next instant after its last
 * sample's (so [first, end) holds every sample); undefined when it has no samples.
 */
export async function timeChannelSpan(source: ArraySource, signal?: AbortSignal): Promise<{ first: number; end: number } | undefined> {
  const { doc } = source;
  const samples = sampleCount(doc);
  if (samples === 0) return undefined;
  const channel = doc.time_channel!;
  const origin = timeChannelOrigin(doc);
  const [head, tail] = await Promise.all([source.read(0, 1, signal), source.read(samples - 1, samples, signal)]);
  const first = origin + head[channel]! * 1000;
  const last = origin + tail[channel]! * 1000;
  if (!(last >= first)) throw unordered(doc, samples - 1);
  return { first, end: nextUp(last) };
}

/** The smallest double above `value` (finite). */
function nextUp(value: number): number {
  if (value === 0) return Number.MIN_VALUE;
  const bits = new BigInt64Array(new Float64Array([value]).buffer);
  bits[0]! += value > 0 ? 1n : -1n;
  return new Float64Array(bits.buffer)[0]!;
}

function unordered(doc: DataArrayDocument, sample: number): TimeChannelError {
  return new TimeChannelError(`“${doc.title}”: the time of sample ${sample} is missing or before the time of the sample before it; a time channel must never decrease.`, 'array');
}

/**
 * Reduces each job's slice of an array whose samples carry their own time (channel `doc.time_channel`): the whole
 * array is read in order, chunk by chunk (the next read in flight), each sample going to the slice its time falls in
 * — a slice boundary may fall anywhere in a chunk — and each job's sample range [first, last) is found on the way.
 * Samples before `from` are skipped; reading stops at the first sample at or after `to`. The time channel's own
 * entry in each slice is all null. A time that decreases or is NaN is a TimeChannelError. Resolves to the samples read.
 */
export async function reduceByTimeChannel(
  source: ArraySource,
  jobs: SliceJob[],
  request: StatisticsRequest,
  range: { from: number; to: number },
  exactLimit: number,
  { signal, onProgress, chunkSamples }: TimesliceOptions & { chunkSamples: number },
): Promise<number> {
  if (jobs.length === 0) return 0;
  const { doc } = source;
  const channels = channelCount(doc);
  const timeChannel = doc.time_channel!;
  const origin = timeChannelOrigin(doc);
  const samples = sampleCount(doc);
  const quantiles = [...new Set(request.quantiles.values())];
  const precision = summaryDType(doc.dtype);
  const reducers = Array.from({ length: channels }, (_, channel) => (channel === timeChannel ? undefined : new SliceReducer(quantiles, exactLimit, precision)));
  const finish = (job: SliceJob, last: number) => {
    job.last = last;
    job.channels = reducers.map((reducer) => (reducer ? reducer.finish(request.statistics, request.quantiles) : noStatistics(request.statistics)));
    for (const reducer of reducers) reducer?.reset();
  };
  // The current job, the first instant it takes and the first it does not (its slice cut to [from, to)).
  let current = 0;
  let opened = false;
  const endOf = (job: SliceJob) => Math.min(job.slice.end, range.to);
  let previous = -Infinity;
  let read = 0;
  reading: for await (const { start, end, data } of readAhead(source, chunkRanges(samples, chunkSamples), signal)) {
    read = end;
    let row = start;
    while (row < end) {
      const time = origin + data[(row - start) * channels + timeChannel]! * 1000;
      if (!(time >= previous)) throw unordered(doc, row);
      if (time < range.from) {
        previous = time;
        row += 1;
        continue;
      }
      if (!opened) {
        jobs[current]!.first = row;
        opened = true;
      }
      // Past the current slice: finish it (and any empty ones after it) here.
      while (time >= endOf(jobs[current]!)) {
        finish(jobs[current]!, row);
        current += 1;
        if (current === jobs.length) break reading;
        jobs[current]!.first = row;
      }
      // The run of samples in the current slice, from this one on, within this chunk.
      const until = endOf(jobs[current]!);
      let runEnd = row + 1;
      previous = time;
      for (; runEnd < end; runEnd += 1) {
        const next = origin + data[(runEnd - start) * channels + timeChannel]! * 1000;
        if (!(next >= previous)) throw unordered(doc, runEnd);
        if (next >= until) break;
        previous = next;
      }
      const offset = (row - start) * channels;
      const stop = (runEnd - start) * channels;
      for (let channel = 0; channel < channels; channel += 1) reducers[channel]?.addStrided(data, offset + channel, stop, channels);
      row = runEnd;
    }
    onProgress?.(end, samples);
  }
  // The slices the samples did not reach: the current one ends at the last sample, the others are empty there.
  for (; current < jobs.length; current += 1) {
    if (!opened) jobs[current]!.first = read;
    opened = false;
    finish(jobs[current]!, read);
  }
  return read;
}

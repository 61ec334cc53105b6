import { throwIfAborted } from '../../gadgets/core/cancel';
import { channelCount, sampleCount, summaryDType, type DataArrayDocument } from '../../storage/arrays';
import { nanMax, nanMin } from '../../storage/arrays/pyramid';
import type { ArraySource } from './array-source';
import { parseStatisticsParameters, type StatisticsParameters, type StatisticsRequest } from './parameters';
import { SKETCH_RELATIVE_ACCURACY } from './quantile-sketch';
import { SliceReducer, type ChannelSliceStatistics } from './slice-reducer';
import { NoTimeAxisError } from './statistics-error';
import { dynamicSlices, staticSlices } from './timeslices';
import { readAhead, type SampleRange } from './read-ahead';
import { noStatistics, type SliceJob } from './slice-job';
import { reduceByTimeChannel, timeChannelSpan } from './time-channel-statistics';

export interface TimesliceOptions {
  signal?: AbortSignal | undefined;
  /** Called after each chunk read (samples) or slice answered from the pyramid (slices): work done of total. */
  onProgress?: ((done: number, total: number) => void) | undefined;
  /** Finite values per slice and channel kept for exact quantiles; beyond, the slice's quantiles come from a sketch. Default 2^22. */
  exactLimit?: number | undefined;
  /** Samples per read. Default 2^18. */
  chunkSamples?: number | undefined;
}

/** One slice's statistics, per channel; `first`/`last` are the sample range [first, last) it covers. */
export interface SliceStatistics {
  start: string;
  end: string;
  label: string;
  first: number;
  last: number;
  channels: ChannelSliceStatistics[];
}

export interface StatisticsResult {
  parameters: StatisticsRequest['normalized'];
  slices: SliceStatistics[];
  /** Whether every slice's quantiles are exact (else some came from the sketch, within `sketch_relative_accuracy`). */
  exact: boolean;
  sketch_relative_accuracy: number;
  exact_limit: number;
  /** Samples read; 0 when the pyramid answered everything (only min and max asked). */
  samples_read: number;
}

export const DEFAULT_EXACT_LIMIT = 1 << 22;
const DEFAULT_CHUNK = 1 << 18;
/** What the pyramid keeps per block (min and max); every other statistic needs the samples. */
const FROM_PYRAMID = new Set(['min', 'max']);

/**
 * Statistics per timeslice of an array with a time axis — `start_time` and `sampling_rate`, or a `time_channel` holding
 * each sample's time (see reduceByTimeChannel) — out of core: the samples are read chunk by chunk (the next read
 * overlapping the work on this one), each slice reduced as it passes. When only
 * min and max are asked, the pyramid answers without reading samples (a slice holding ±Infinity, which the pyramid
 * counts as extremes and these statistics leave out, is read instead). Cancelled by `signal` between chunks.
 */
export async function timesliceStatistics(source: ArraySource, parameters: StatisticsParameters, options: TimesliceOptions = {}): Promise<StatisticsResult> {
  const request = parseStatisticsParameters(parameters);
  const { doc } = source;
  const timed = doc.time_channel !== undefined;
  const axis: { first: number; end: number; indexAt?: (ms: number) => number } | undefined = timed ? await timeChannelSpan(source, options.signal) : evenAxis(doc);
  // Instants [from, to) the slices cover: the array's (to just after the last sample's time) within the range asked.
  const from = axis ? Math.max(axis.first, request.start ?? -Infinity) : 0;
  const to = axis ? Math.min(axis.end, request.end ?? Infinity) : 0;
  const slices = from >= to ? [] : request.timeslice === undefined ? [{ start: from, end: to, label: 'all' }] : (request.isStatic ? staticSlices : dynamicSlices)(request.timeslice, from, to, request.timeZone);
  // With a time channel the sample ranges are found while reading.
  const indexAt = axis?.indexAt ?? (() => 0);
  const jobs: SliceJob[] = slices.map((slice) => ({ slice, first: indexAt(Math.max(slice.start, from)), last: indexAt(Math.min(slice.end, to)) }));
  const exactLimit = options.exactLimit ?? DEFAULT_EXACT_LIMIT;
  const chunkSamples = options.chunkSamples ?? DEFAULT_CHUNK;
  // The pyramid is by sample index: it answers only where slices are known by index before reading.
  const pyramidOnly = !timed && request.statistics.every((name) => FROM_PYRAMID.has(name));
  if (pyramidOnly) await answerFromPyramid(source, jobs, request, options);
  const samplesRead = timed
    ? await reduceByTimeChannel(source, jobs, request, { from, to }, exactLimit, { ...options, chunkSamples })
    : await reduceSamples(source, jobs.filter((job) => !job.channels), request, exactLimit, { ...options, chunkSamples });
  return {
    parameters: request.normalized,
    slices: jobs.map(({ slice, first, last, channels }) => ({
      start: new Date(slice.start).toISOString(),
      end: new Date(slice.end).toISOString(),
      label: slice.label,
      first,
      last,
      channels: channels!,
    })),
    exact: jobs.every((job) => job.channels!.every((channel) => channel.exact)),
    sketch_relative_accuracy: SKETCH_RELATIVE_ACCURACY,
    exact_limit: exactLimit,
    samples_read: samplesRead,
  };
}

/** The time axis of an array with a start time and a sampling rate: its first instant, the end of its last sample's period, and the sample at an instant. */
function evenAxis(doc: DataArrayDocument): { first: number; end: number; indexAt: (ms: number) => number } | undefined {
  const start = doc.start_time !== undefined ? Date.parse(doc.start_time) : NaN;
  const rate = doc.sampling_rate ?? NaN;
  if (!Number.isFinite(start) || !(rate > 0)) {
    throw new NoTimeAxisError(`“${doc.title}” has no time axis (a start time and a sampling rate, or a time channel): statistics per timeslice need one.`, 'array');
  }
  const samples = sampleCount(doc);
  return {
    first: start,
    end: start + (samples * 1000) / rate,
    indexAt: (ms) => Math.min(samples, Math.max(0, Math.ceil(((ms - start) * rate) / 1000 - 1e-6))),
  };
}

/** min/max of each slice from the envelope (pyramid blocks inside, at most two blocks' samples at the edges). */
async function answerFromPyramid(source: ArraySource, jobs: SliceJob[], request: StatisticsRequest, { signal, onProgress }: TimesliceOptions): Promise<void> {
  const channels = channelCount(source.doc);
  for (const [done, job] of jobs.entries()) {
    throwIfAborted(signal);
    if (job.last <= job.first) {
      job.channels = Array.from({ length: channels }, () => noStatistics(request.statistics));
      continue;
    }
    const envelope = await source.envelope(job.first, job.last, 4, signal);
    const answered = envelope.channels.map((channel) => {
      let min = NaN;
      let max = NaN;
      for (let column = 0; column < channel.min.length; column += 1) {
        min = nanMin(min, channel.min[column]!);
        max = nanMax(max, channel.max[column]!);
      }
      return { min, max };
    });
    if (answered.some(({ min, max }) => min === -Infinity || max === Infinity)) continue; // read this slice instead
    job.channels = answered.map(({ min, max }) => ({
      values: Object.fromEntries(request.statistics.map((name) => [name, name === 'min' ? finiteOrNull(min) : finiteOrNull(max)])),
      exact: true,
    }));
    onProgress?.(done + 1, jobs.length);
  }
}

function finiteOrNull(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}

/** Reads the jobs' samples in order, chunk by chunk, and reduces each job's slice; resolves to the samples read. */
async function reduceSamples(source: ArraySource, jobs: SliceJob[], request: StatisticsRequest, exactLimit: number, options: TimesliceOptions & { chunkSamples: number }): Promise<number> {
  const { signal, onProgress, chunkSamples } = options;
  const channels = channelCount(source.doc);
  const quantiles = [...new Set(request.quantiles.values())];
  const precision = summaryDType(source.doc.dtype);
  const reducers = Array.from({ length: channels }, () => new SliceReducer(quantiles, exactLimit, precision));
  const total = jobs.reduce((sum, job) => sum + (job.last - job.first), 0);
  // The reads: consecutive jobs' ranges joined, cut into chunks.
  const reads: SampleRange[] = [];
  for (const job of jobs) {
    for (let at = job.first; at < job.last; ) {
      const previous = reads[reads.length - 1];
      if (previous && previous.end === at && previous.end - previous.start < chunkSamples) {
        previous.end = Math.min(job.last, previous.start + chunkSamples);
        at = previous.end;
      } else {
        const end = Math.min(job.last, at + chunkSamples);
        reads.push({ start: at, end });
        at = end;
      }
    }
  }
  let jobIndex = 0;
  let done = 0;
  const reserve = () => {
    const job = jobs[jobIndex];
    if (job) for (const reducer of reducers) reducer.reserve(job.last - job.first);
  };
  const finishJobsBefore = (position: number) => {
    while (jobIndex < jobs.length && jobs[jobIndex]!.last <= position) {
      jobs[jobIndex]!.channels = reducers.map((reducer) => reducer.finish(request.statistics, request.quantiles));
      for (const reducer of reducers) reducer.reset();
      jobIndex += 1;
      reserve();
    }
  };
  reserve();
  for await (const { start, end, data } of readAhead(source, reads, signal)) {
    finishJobsBefore(start);
    for (let row = start; row < end; ) {
      const job = jobs[jobIndex]!;
      const until = Math.min(end, job.last);
      for (let channel = 0; channel < channels; channel += 1) reducers[channel]!.addStrided(data, (row - start) * channels + channel, (until - start) * channels, channels);
      row = until;
      finishJobsBefore(row);
    }
    done += end - start;
    onProgress?.(done, total);
  }
  finishJobsBefore(Infinity);
  return done;
}

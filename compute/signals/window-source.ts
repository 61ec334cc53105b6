import type { ArraySource } from '../statistics/array-source';
import type { DataArrayDocument } from '../../storage/arrays';
import { experimentRange, type ExperimentDocument } from './experiment-document';

/** Samples [first, last) of an array. */
export interface SampleWindow {
  first: number;
  last: number;
}

/**
 * The samples of `array` recorded during the experiment's time range, when both have a time axis and the range leaves
 * some out (a long recording over several shots); undefined when the signal is the whole array. Sample i is at
 * start_time + i / rate and belongs when that time is in [start, end).
 */
export function experimentWindow(experiment: ExperimentDocument, array: DataArrayDocument): SampleWindow | undefined {
  const range = experimentRange(experiment);
  const origin = array.start_time !== undefined ? Date.parse(array.start_time) : NaN;
  const rate = array.sampling_rate;
  if (!range || !Number.isFinite(origin) || rate === undefined || array.units?.x !== undefined) return undefined;
  const count = array.shape[0];
  const index = (time: number) => {
    const x = ((time - origin) * rate) / 1000;
    const whole = Math.round(x);
    return Math.max(0, Math.min(count, Math.abs(x - whole) < 1e-9 ? whole : Math.ceil(x)));
  };
  const first = index(range.start);
  const last = Math.max(first, index(range.end));
  return first === 0 && last === count ? undefined : { first, last };
}

/** Samples [first, last) of a source as a source of their own: sample 0 is `first`, its start time moved with it. */
export function windowSource(source: ArraySource, { first, last }: SampleWindow): ArraySource {
  const { doc } = source;
  const rate = doc.sampling_rate;
  const origin = doc.start_time !== undefined ? Date.parse(doc.start_time) : NaN;
  const shifted: DataArrayDocument = {
    ...doc,
    shape: doc.shape.length === 2 ? [last - first, doc.shape[1]!] : [last - first],
    ...(rate !== undefined && Number.isFinite(origin) ? { start_time: new Date(origin + (first / rate) * 1000).toISOString() } : {}),
  };
  const clamp = (index: number) => Math.max(first, Math.min(last, first + index));
  return {
    doc: shifted,
    read: (start, end, signal) => source.read(clamp(start), clamp(end), signal),
    envelope: async (start, end, width, signal) => {
      const envelope = await source.envelope(clamp(start), clamp(end), width, signal);
      return { ...envelope, starts: envelope.starts.map((at) => at - first), ends: envelope.ends.map((at) => at - first) };
    },
  };
}

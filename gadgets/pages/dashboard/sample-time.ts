import { sampleCount, type DataArrayDocument } from '../../../storage/arrays';

/**
 * When sample `index` of an array was taken, in words: an ISO-like UTC time when the array has a start time and a
 * sampling rate, seconds from the start with a rate only, else the sample's index.
 */
export function sampleTime(doc: DataArrayDocument, index: number): { text: string; iso?: string } {
  const rate = doc.sampling_rate;
  const start = doc.start_time === undefined ? NaN : Date.parse(doc.start_time);
  if (rate !== undefined && rate > 0 && !Number.isNaN(start)) {
    const date = new Date(start + (index / rate) * 1000);
    return { text: date.toLocaleString(), iso: date.toISOString() };
  }
  if (rate !== undefined && rate > 0) return { text: `${formatSeconds(index / rate)} s` };
  return { text: `sample ${index.toLocaleString('en')}` };
}

/** The time of an array's last sample, or undefined when it has none. */
export function latestSampleTime(doc: DataArrayDocument): { text: string; iso?: string } | undefined {
  const count = sampleCount(doc);
  return count === 0 ? undefined : sampleTime(doc, count - 1);
}

function formatSeconds(seconds: number): string {
  return seconds.toLocaleString('en', { maximumFractionDigits: 3 });
}

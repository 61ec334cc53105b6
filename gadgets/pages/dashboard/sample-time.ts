import { sampleCount, type DataArrayDocument } from '../../../storage/arrays';

/**
 * Where sample `index` of an array is on its x axis, in words: a local date and time (with its ISO form) when the
 * axis is time with a start time and a sampling rate; the x value in its unit with a rate only (seconds from the
 * start, or Hz for a spectrum); else the sample's index.
 */
export function sampleTime(doc: DataArrayDocument, index: number): { text: string; iso?: string } {
  const rate = doc.sampling_rate;
  const unit = doc.units?.x ?? 's';
  const start = doc.start_time === undefined ? NaN : Date.parse(doc.start_time);
  if (rate !== undefined && rate > 0 && unit === 's' && !Number.isNaN(start)) {
    const date = new Date(start + (index / rate) * 1000);
    return { text: date.toLocaleString(), iso: date.toISOString() };
  }
  if (rate !== undefined && rate > 0) return { text: unit === 's' ? `${formatNumber(index / rate)} s` : `${unit} ${formatNumber(index / rate)}` };
  return { text: `sample ${index.toLocaleString('en')}` };
}

/**
 * The instant of `seconds` on an array's time channel (see DataArrayDocument.time_channel: seconds after its start time,
 * or after 1970 without one), in words with its ISO form.
 */
export function channelTime(doc: DataArrayDocument, seconds: number): { text: string; iso: string } {
  const date = new Date((doc.start_time === undefined ? 0 : Date.parse(doc.start_time)) + seconds * 1000);
  return { text: date.toLocaleString(), iso: date.toISOString() };
}

/** The time of an array's last sample, or undefined when it has none. */
export function latestSampleTime(doc: DataArrayDocument): { text: string; iso?: string } | undefined {
  const count = sampleCount(doc);
  return count === 0 ? undefined : sampleTime(doc, count - 1);
}

function formatNumber(value: number): string {
  return value.toLocaleString('en', { maximumFractionDigits: 3 });
}

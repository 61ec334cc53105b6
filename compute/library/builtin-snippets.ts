// The snippets that ship with the app. Each runs as it is in the notebook kernel: on the array named at its top, or
// the first Data Array there is, or (with none) on a test signal it makes, so it can be tried at once.
// Their ids, versions and dates are fixed, so two devices adding them write the same documents (no sync conflict).
import { newSnippet, type SnippetContent, type SnippetDocument } from './snippet-document';

/** The date the shipped snippets carry (their first and only version until a user edits one). */
const SHIPPED = '2026-01-01T00:00:00.000Z';
export const BUILTIN_AUTHOR = 'Fieldscope';

/** Shared by the shipped snippets: the samples of one channel of an array, or of a test signal (50 Hz + 120 Hz). */
const SOURCE = `
// Empty: the first Data Array found, or a test signal when there is none.
const arrayId = '';

async function sourceSignal(id, channel = 0, maxRows = 1 << 20) {
  const chosen = id || (await fieldscope.documents('portal_type:="Data Array"', 1))[0]?.id;
  if (!chosen) {
    const rate = 1000;
    const samples = Float64Array.from({ length: 4096 }, (_, i) => Math.sin(2 * Math.PI * 50 * i / rate) + 0.5 * Math.sin(2 * Math.PI * 120 * i / rate));
    return { title: 'test signal (50 Hz + 120 Hz)', rate, samples };
  }
  const info = await fieldscope.array(chosen);
  const rows = Math.min(info.length, maxRows);
  const raw = await fieldscope.read(chosen, 0, rows);
  const samples = new Float64Array(rows);
  for (let i = 0; i < rows; i++) samples[i] = raw[i * info.channels + channel];
  return { id: chosen, title: info.title, rate: info.sampling_rate ?? 1, samples };
}
`;

const BAND_PASS = `// Band-pass filter: keeps frequencies between low and high (Hz), two biquad stages (Audio EQ Cookbook).
const low = 90, high = 160;
${SOURCE}
function biquadBandPass(rate, low, high) {
  const centre = Math.sqrt(low * high);
  const w = 2 * Math.PI * centre / rate;
  const alpha = Math.sin(w) / (2 * (centre / (high - low)));
  const a0 = 1 + alpha;
  const b0 = alpha / a0, b2 = -alpha / a0, a1 = -2 * Math.cos(w) / a0, a2 = (1 - alpha) / a0;
  let x1 = 0, x2 = 0, y1 = 0, y2 = 0;
  return (x) => {
    const y = b0 * x + b2 * x2 - a1 * y1 - a2 * y2;
    x2 = x1; x1 = x; y2 = y1; y1 = y;
    return y;
  };
}

const signal = await sourceSignal(arrayId);
const stages = [biquadBandPass(signal.rate, low, high), biquadBandPass(signal.rate, low, high)];
const filtered = signal.samples.map((x) => stages.reduce((value, stage) => stage(value), x));
const rms = (values) => Math.sqrt(values.reduce((sum, v) => sum + v * v, 0) / values.length);
console.log('band-pass', low, '-', high, 'Hz of', signal.title, ': RMS', rms(signal.samples).toFixed(3), '->', rms(filtered).toFixed(3));
const filteredId = await fieldscope.createArray({ title: signal.title + ' band-pass ' + low + '-' + high + ' Hz', dtype: 'float32', sampling_rate: signal.rate }, Float32Array.from(filtered));
fieldscope.view(filteredId)
`;

const RMS_PER_WINDOW = `// RMS per window: the root mean square of each window of samples, as a table (start time, RMS).
const windowSeconds = 0.5;
${SOURCE}
const signal = await sourceSignal(arrayId);
const size = Math.max(1, Math.round(windowSeconds * signal.rate));
const rows = [];
for (let start = 0; start + size <= signal.samples.length; start += size) {
  let sum = 0;
  for (let i = start; i < start + size; i++) sum += signal.samples[i] * signal.samples[i];
  rows.push([start / signal.rate, Math.sqrt(sum / size)]);
}
console.log(rows.length, 'windows of', size, 'samples of', signal.title);
rows
`;

const PEAK_FINDING = `// Peak finding: the strongest peaks of the spectrum (Welch), at least minDistanceHz apart.
const count = 5, minDistanceHz = 10;
${SOURCE}
function findPeaks(values, minDistance) {
  const candidates = [];
  for (let i = 1; i < values.length - 1; i++) if (values[i] > values[i - 1] && values[i] >= values[i + 1]) candidates.push(i);
  candidates.sort((a, b) => values[b] - values[a]);
  const kept = [];
  for (const index of candidates) if (kept.every((other) => Math.abs(other - index) >= minDistance)) kept.push(index);
  return kept;
}

const signal = await sourceSignal(arrayId);
const spectrum = await fieldscope.welch(signal.samples, { samplingRate: signal.rate });
const power = spectrum.values[0];
const peaks = findPeaks(power, Math.max(1, Math.round(minDistanceHz / spectrum.df))).slice(0, count);
console.log('peaks of', signal.title);
peaks.map((index) => ({ hz: Number((index * spectrum.df).toFixed(2)), power: Number(power[index].toPrecision(4)) }))
`;

const CSV_OF_RANGE = `// CSV of a range: rows [start, end) of an array (every channel, with the time of each row) as CSV text.
const start = 0, end = 20;
${SOURCE}
const id = arrayId || (await fieldscope.documents('portal_type:="Data Array"', 1))[0]?.id;
let header, lines;
if (id) {
  const info = await fieldscope.array(id);
  const last = Math.min(end, info.length);
  const rows = await fieldscope.read(id, start, last);
  const rate = info.sampling_rate ?? 1;
  header = ['time', ...Array.from({ length: info.channels }, (_, c) => 'channel_' + c)];
  lines = [];
  for (let r = 0; r < last - start; r++) lines.push([(start + r) / rate, ...rows.subarray(r * info.channels, (r + 1) * info.channels)]);
} else {
  const signal = await sourceSignal('');
  header = ['time', 'value'];
  lines = Array.from(signal.samples.subarray(start, end), (value, r) => [(start + r) / signal.rate, value]);
}
[header.join(','), ...lines.map((line) => line.join(','))].join('\\n')
`;

function shipped(id: string, content: SnippetContent): [string, SnippetDocument] {
  return [id, newSnippet(content, { author: BUILTIN_AUTHOR, date: SHIPPED, version: `${id}-1` }, { reference: id })];
}

/** The shipped snippets by id, as their documents' first version. */
export const BUILTIN_SNIPPETS: ReadonlyArray<[string, SnippetDocument]> = [
  shipped('snippet-builtin-band-pass', {
    title: 'Band-pass filter',
    blurb: 'Keeps the frequencies between two limits (two biquad stages) and saves the result as a new Data Array.',
    language: 'javascript',
    files: [{ name: 'band-pass.js', content: BAND_PASS }],
    tags: ['signal/filter', 'signal/filter/band-pass'],
  }),
  shipped('snippet-builtin-rms-window', {
    title: 'RMS per window',
    blurb: 'The root mean square of each window of samples, as a table of start time and RMS.',
    language: 'javascript',
    files: [{ name: 'rms-per-window.js', content: RMS_PER_WINDOW }],
    tags: ['signal/statistics', 'signal/statistics/rms'],
  }),
  shipped('snippet-builtin-peaks', {
    title: 'Peak finding',
    blurb: 'The strongest peaks of a spectrum (Welch), a minimum distance apart, in Hz.',
    language: 'javascript',
    files: [{ name: 'peaks.js', content: PEAK_FINDING }],
    tags: ['signal/spectrum', 'signal/spectrum/peaks'],
  }),
  shipped('snippet-builtin-csv-range', {
    title: 'CSV of a range',
    blurb: 'Rows of an array, every channel with its time, as CSV text to copy or save.',
    language: 'javascript',
    files: [{ name: 'csv-of-range.js', content: CSV_OF_RANGE }],
    tags: ['data/export', 'data/export/csv'],
  }),
];

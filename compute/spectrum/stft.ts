import type { Storage } from '../../storage';
import { bytesPerElement, channelCount, getDataArray, sampleCount, type NumericArray } from '../../storage/arrays';
import { storageArraySource, type ArraySource } from '../statistics/array-source';
import { loadFastFft, powerSpectrum } from '../fft/real-fft';
import { windowCoefficients, type WindowName } from './windows';

export interface SpectrogramParams {
  /** 0-based channel to analyse. Default 0. */
  channel?: number;
  /** FFT length (a power of two ≥ 2): the spectrogram has segment/2 + 1 frequency bins. Default 1024. */
  segment?: number;
  /** At most this many time columns, whatever the length of the range. Default 512. */
  columns?: number;
  /** At most this many segments averaged into one column when the range has more segments than columns. Default 4. */
  averages?: number;
  /** Default 'hann'. */
  window?: WindowName;
  /** First sample of the range (default 0). */
  start?: number;
  /** End of the range, exclusive (default and at most the array's length). */
  end?: number;
}

export interface SpectrogramRun {
  signal?: AbortSignal;
  /** 0 … 1 as columns are computed. */
  onProgress?: (fraction: number) => void;
}

export interface Spectrogram {
  columns: number;
  /** segment/2 + 1: bin k is the frequency k · frequencyStep. */
  bins: number;
  /**
   * Power spectral density in dB (10·log10 of unit²/Hz, one-sided; unit²/(cycle/sample) without a sampling rate),
   * **column-major**: the value of column c, bin k is `db[c * bins + k]`. Zeros give FLOOR_DB.
   */
  db: Float32Array;
  /** Time of the centre of column 0, from sample 0 of the array: seconds, or samples without a sampling rate. */
  timeStart: number;
  /** Time between the centres of consecutive columns (each column covers this much of the range). */
  timeStep: number;
  /** Hz, or cycles/sample without a sampling rate. */
  frequencyStep: number;
  timeUnit: 's' | 'sample';
  frequencyUnit: 'Hz' | 'cycles/sample';
  minDb: number;
  maxDb: number;
  /** The sample range analysed, after clamping to the array. */
  start: number;
  end: number;
  /** Segments averaged per column, and the FFT length used. */
  segmentsPerColumn: number;
  segment: number;
}

/** The dB given to a power of 0 (log10 would give −∞, which colour scales and JSON cannot take). */
export const FLOOR_DB = -200;

/**
 * Reading tuned to what a storage call costs: in IndexedDB (Chromium, measured here) a range read costs ≈ 5–7 ms
 * whatever its size, plus ≈ 25 ms per MiB, so reading a gap of up to 256 KiB between two segments is cheaper than a
 * second call — and over HTTP a call costs more still. Merged reads stay under 1 MiB (memory bounded by this, not by
 * the array's length) and a few are kept in flight while the FFTs run.
 */
const MERGE_GAP_BYTES = 256 * 1024;
const MAX_READ_BYTES = 1024 * 1024;
const READS_IN_FLIGHT = 4;

/**
 * The short-time Fourier transform of one channel of a Data Array, as a dB image of at most `columns` columns.
 * Memory and reads are bounded whatever the array's length: the range is cut into `columns` equal slices and each
 * column averages the power of a few evenly spaced segments of its slice, read by range — so an array of 1e8 samples
 * costs at most `columns × averages` reads of about one segment each, never a read of the whole array (close
 * segments share one read of at most 1 MiB). Segments overlap by half when the range is short enough for every one
 * of them to get its own column. A range shorter than one segment gives one column (windowed over the samples there
 * are, zero-padded to the segment). The signal is checked between segments and passed to every read.
 */
export async function computeSpectrogram(storage: Storage, id: string, params: SpectrogramParams = {}, run: SpectrogramRun = {}): Promise<Spectrogram> {
  const doc = await getDataArray(storage, id, run.signal ? { signal: run.signal } : {});
  return computeSourceSpectrogram(storageArraySource(storage, id, doc), params, run);
}

/** The spectrogram of anything read like an array (a Data Array, a calibrated signal: see ArraySource), as above. */
export async function computeSourceSpectrogram(
  source: ArraySource,
  { channel = 0, segment = 1024, columns = 512, averages = 4, window = 'hann', start, end }: SpectrogramParams = {},
  { signal, onProgress }: SpectrogramRun = {},
): Promise<Spectrogram> {
  if (!(Number.isInteger(segment) && segment >= 2 && (segment & (segment - 1)) === 0)) {
    throw new RangeError(`The segment must be a power of two ≥ 2, not ${segment}.`);
  }
  if (!(Number.isInteger(columns) && columns >= 1)) throw new RangeError(`columns must be a whole number ≥ 1, not ${columns}.`);
  if (!(Number.isInteger(averages) && averages >= 1)) throw new RangeError(`averages must be a whole number ≥ 1, not ${averages}.`);
  const { doc } = source;
  await loadFastFft();
  const channels = channelCount(doc);
  if (!(Number.isInteger(channel) && channel >= 0 && channel < channels)) {
    throw new RangeError(`“${doc.title}” has ${channels} channel${channels === 1 ? '' : 's'}: there is no channel ${channel}.`);
  }
  const from = Math.max(0, Math.floor(start ?? 0));
  const to = Math.min(sampleCount(doc), Math.ceil(end ?? Infinity));
  const total = to - from;
  if (total < 2) throw new RangeError(`“${doc.title}” has ${Math.max(0, total)} sample${total === 1 ? '' : 's'} in this range: a spectrogram needs at least 2.`);

  const layout = planColumns(from, to, segment, columns, averages);
  const rowBytes = channels * bytesPerElement(doc.dtype);
  const reads = groupReads(layout, Math.floor(MERGE_GAP_BYTES / rowBytes), Math.floor(MAX_READ_BYTES / rowBytes));
  const coefficients = windowCoefficients(window, layout.length);
  const windowPower = coefficients.reduce((sum, w) => sum + w * w, 0);
  const rate = doc.sampling_rate ?? 1;
  const bins = segment / 2 + 1;
  const db = new Float32Array(layout.columns * bins);
  const frame = new Float64Array(segment);
  const sum = new Float64Array(bins);
  let minDb = Infinity;
  let maxDb = -Infinity;
  let readIndex = 0;

  const fetches = reads.map((read) => () => source.read(read.first, read.last, signal));
  for await (const values of inOrderAhead(fetches, READS_IN_FLIGHT)) {
    const read = reads[readIndex++]!;
    for (let index = read.firstSegment; index < read.firstSegment + read.segments; index += 1) {
      signal?.throwIfAborted(); // between segments: a cancelled view stops at once
      takeSegment(values, channels, channel, layout.starts[index]! - read.first, coefficients, frame);
      powerSpectrum(frame, sum);
      if ((index + 1) % layout.perColumn !== 0) continue;
      // Column complete. One-sided PSD (as Welch's 'psd'): mean power, doubled except at DC and Nyquist, per Hz of window power.
      const column = (index + 1) / layout.perColumn - 1;
      for (let k = 0; k < bins; k += 1) {
        const oneSided = k === 0 || k === bins - 1 ? 1 : 2;
        const value = Math.max(FLOOR_DB, 10 * Math.log10((sum[k]! * oneSided) / (layout.perColumn * rate * windowPower)));
        db[column * bins + k] = value;
        if (value < minDb) minDb = value;
        if (value > maxDb) maxDb = value;
      }
      sum.fill(0);
      onProgress?.((column + 1) / layout.columns);
    }
  }

  const hasRate = doc.sampling_rate !== undefined;
  return {
    columns: layout.columns,
    bins,
    db,
    timeStart: (from + layout.slice / 2) / rate,
    timeStep: layout.slice / rate,
    frequencyStep: rate / segment,
    timeUnit: hasRate ? 's' : 'sample',
    frequencyUnit: hasRate ? 'Hz' : 'cycles/sample',
    minDb,
    maxDb,
    start: from,
    end: to,
    segmentsPerColumn: layout.perColumn,
    segment,
  };
}

interface ColumnLayout {
  columns: number;
  /** Samples of the range per column. */
  slice: number;
  perColumn: number;
  /** Samples read per segment: the segment, or the whole range when it is shorter. */
  length: number;
  /** First sample of each segment, column by column (non-decreasing). */
  starts: Float64Array;
}

/** Where the segments of each column start: centred at evenly spaced points of the column's slice, inside the range. */
function planColumns(from: number, to: number, segment: number, maxColumns: number, averages: number): ColumnLayout {
  const total = to - from;
  const length = Math.min(segment, total);
  const hop = segment / 2;
  const positions = total <= segment ? 1 : Math.floor((total - segment) / hop) + 1; // half-overlapping segments
  const columns = Math.min(maxColumns, positions);
  const slice = total / columns;
  // Segments of a column overlap by at most half; a slice of one hop gets one segment.
  const perColumn = Math.min(averages, Math.max(1, Math.floor(slice / hop)));
  const starts = new Float64Array(columns * perColumn);
  for (let column = 0; column < columns; column += 1) {
    for (let j = 0; j < perColumn; j += 1) {
      const centre = from + (column + (j + 0.5) / perColumn) * slice;
      starts[column * perColumn + j] = Math.min(to - length, Math.max(from, Math.round(centre - length / 2)));
    }
  }
  return { columns, slice, perColumn, length, starts };
}

interface Read {
  /** Samples [first, last). */
  first: number;
  last: number;
  /** The plan's segments [firstSegment, firstSegment + segments) lie inside. */
  firstSegment: number;
  segments: number;
}

/**
 * Groups consecutive segments into reads: a segment joins the read before it when the gap between them is at most
 * `maxGap` samples and the read stays within `maxRead` samples (or one segment). At most one read per segment.
 */
function groupReads({ starts, length }: ColumnLayout, maxGap: number, maxRead: number): Read[] {
  const reads: Read[] = [];
  let current: Read | undefined;
  for (let index = 0; index < starts.length; index += 1) {
    const first = starts[index]!;
    const last = first + length;
    if (current && first - current.last <= maxGap && last - current.first <= Math.max(maxRead, length)) {
      current.last = Math.max(current.last, last);
      current.segments += 1;
    } else {
      current = { first, last, firstSegment: index, segments: 1 };
      reads.push(current);
    }
  }
  return reads;
}

/**
 * Runs `tasks` with up to `depth` in flight and yields their results in order: the next reads proceed while the
 * current one is transformed. A failure (or abort) surfaces when its turn comes; the others' are swallowed.
 */
async function* inOrderAhead<T>(tasks: (() => Promise<T>)[], depth: number): AsyncGenerator<T> {
  const inFlight: Promise<T>[] = [];
  let next = 0;
  for (;;) {
    while (inFlight.length < depth && next < tasks.length) {
      const task = tasks[next++]!();
      task.catch(() => {}); // awaited in its turn; an abandoned one must not be an unhandled rejection
      inFlight.push(task);
    }
    const head = inFlight.shift();
    if (!head) return;
    yield await head;
  }
}

/** Windows one channel of `length` rows from `offset` of interleaved rows into `frame`, zero-padding the rest. */
function takeSegment(data: NumericArray, channels: number, channel: number, offset: number, coefficients: Float64Array, frame: Float64Array): void {
  frame.fill(0);
  for (let i = 0; i < coefficients.length; i += 1) frame[i] = data[(offset + i) * channels + channel]! * coefficients[i]!;
}

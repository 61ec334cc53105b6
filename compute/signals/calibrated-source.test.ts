import { describe, expect, it } from 'vitest';
import { MemoryStorage, QueryStorage, UuidStorage, type Storage } from '../../storage';
import { computeSourceSpectrum, computeSpectrum } from '../spectrum/array-spectrum';
import { appendSamples, createDataArray, getDataArray, type Envelope } from '../../storage/arrays';
import { storageArraySource, type ArraySource } from '../statistics/array-source';
import { timesliceStatistics } from '../statistics/timeslice-statistics';
import { calibrate, type Calibration } from './calibration';
import { calibratedSource } from './calibrated-source';
import { directionOver } from './monotony';

const ROWS = 40_000;
/** Channel 1 is a sawtooth −125 … 124.75 in steps of 0.25 (exact in float32), channel 0 a constant. */
const rawValue = (row: number) => ((row % 1000) - 500) / 4;

async function rawSource(rows = ROWS): Promise<ArraySource & { reads: number; storage: Storage; id: string }> {
  const storage = new QueryStorage(new UuidStorage(new MemoryStorage()));
  const id = await createDataArray(storage, { title: 'probe', dtype: 'float32', channels: 2, sampling_rate: 1000, start_time: '2024-06-01T10:00:00Z', units: { y: 'V' } });
  const samples = new Float32Array(rows * 2);
  for (let row = 0; row < rows; row += 1) {
    samples[row * 2] = 7;
    samples[row * 2 + 1] = rawValue(row);
  }
  await appendSamples(storage, id, samples);
  const base = storageArraySource(storage, id, await getDataArray(storage, id));
  // Counts sample reads: the pyramid must answer monotonic calibrations without them.
  const counted = { ...base, storage, id, reads: 0, read: (start: number, end: number, signal?: AbortSignal) => ((counted.reads += 1), base.read(start, end, signal)) };
  return counted;
}

/** min and max over every column of an envelope. */
function extremes(envelope: Envelope): { min: number; max: number } {
  const { min, max } = envelope.channels[0]!;
  return { min: Math.min(...min), max: Math.max(...max) };
}

/** The brute-force envelope columns of the calibrated sawtooth for the same column bounds. */
function bruteForce(envelope: Envelope, calibration: Calibration) {
  return Array.from(envelope.starts, (start, column) => {
    const end = envelope.ends[column]!;
    let min = Infinity;
    let max = -Infinity;
    for (let row = start; row < end; row += 1) {
      const value = calibrate(calibration, rawValue(row));
      min = Math.min(min, value);
      max = Math.max(max, value);
    }
    return { min, max, first: calibrate(calibration, rawValue(start)), last: calibrate(calibration, rawValue(end - 1)) };
  });
}

function columns(envelope: Envelope) {
  const channel = envelope.channels[0]!;
  return Array.from(envelope.starts, (_, column) => ({ min: channel.min[column], max: channel.max[column], first: channel.first[column], last: channel.last[column] }));
}

describe('a calibrated signal reads like an array', () => {
  it('samples: one channel, calibrated, float64, with the signal name and units', async () => {
    const raw = await rawSource();
    const signal = calibratedSource(raw, { name: 'Langmuir_I', channel: 1, calibration: { kind: 'linear', gain: 2, offset: 1 }, units: 'mA' });
    expect(signal.doc).toMatchObject({ title: 'Langmuir_I', shape: [ROWS], dtype: 'float64', sampling_rate: 1000, start_time: '2024-06-01T10:00:00Z', units: { y: 'mA' } });
    expect(Array.from(await signal.read(498, 502))).toEqual([-0.5, -0.25, 0, 0.25].map((raw) => 2 * raw + 1));
  });

  it('increasing (gain > 0): the pyramid min/max map, no samples read', async () => {
    const raw = await rawSource();
    const calibration: Calibration = { kind: 'linear', gain: 2, offset: 1 };
    const signal = calibratedSource(raw, { name: 'I', channel: 1, calibration, units: 'mA' });
    const reads = raw.reads;
    const envelope = await signal.envelope(1024, ROWS - 1024, 8);
    expect(raw.reads - reads).toBeLessThanOrEqual(2); // the two edge columns' partial blocks only
    expect(envelope.raw).toBe(false);
    expect(extremes(envelope)).toEqual({ min: -249, max: 250.5 });
    expect(columns(envelope)).toEqual(bruteForce(envelope, calibration));
  });

  it('decreasing (a falling table): min and max swap', async () => {
    const raw = await rawSource();
    const calibration: Calibration = { kind: 'table', points: [[-200, 100], [0, 0], [200, -300]] };
    expect(directionOver(calibration, -125, 124.75)).toBe('decreasing');
    const signal = calibratedSource(raw, { name: 'I', channel: 1, calibration, units: 'mA' });
    const envelope = await signal.envelope(0, ROWS, 8);
    // 125 V → +62.5, 124.75 V → −187.125: the raw minimum gives the calibrated maximum.
    expect(extremes(envelope)).toEqual({ min: -187.125, max: 62.5 });
    expect(columns(envelope)).toEqual(bruteForce(envelope, calibration));
  });

  it('non-monotonic (x² with its turning point inside): read from the raw samples', async () => {
    const raw = await rawSource();
    const calibration: Calibration = { kind: 'polynomial', coefficients: [0, 0, 1] };
    expect(directionOver(calibration, -125, 124.75)).toBe('mixed');
    const signal = calibratedSource(raw, { name: 'P', channel: 1, calibration, units: 'W' });
    const reads = raw.reads;
    const envelope = await signal.envelope(0, ROWS, 8);
    expect(raw.reads).toBeGreaterThan(reads); // samples were read
    // Mapping the pyramid would give min = min(f(−125), f(124.75)) = 15562.5625; the true minimum is 0 (raw 0).
    expect(extremes(envelope)).toEqual({ min: 0, max: 15625 });
    expect(columns(envelope)).toEqual(bruteForce(envelope, calibration));
  });

  it('non-monotonic over stretches longer than one read: read chunk by chunk, still exact', async () => {
    const rows = 700_000;
    const raw = await rawSource(rows);
    const calibration: Calibration = { kind: 'polynomial', coefficients: [0, 0, 1] };
    const envelope = await calibratedSource(raw, { name: 'P', channel: 1, calibration, units: 'W' }).envelope(3, rows - 5, 3);
    // Every column holds raw 0 (the sawtooth's period is 1000): one stretch of ~700,000 samples, read in 2^18 chunks.
    expect(envelope.ends.at(-1)! - envelope.starts[0]!).toBeGreaterThan(2 * (1 << 18));
    expect(columns(envelope).map(({ min, max }) => [min, max])).toEqual(bruteForce(envelope, calibration).map(({ min, max }) => [min, max]));
  });

  it('non-monotonic table (a peak): read from the raw samples too', async () => {
    const raw = await rawSource();
    const calibration: Calibration = { kind: 'table', points: [[-200, 0], [0, 10], [200, 0]] };
    const envelope = await calibratedSource(raw, { name: 'T', channel: 1, calibration, units: 'K' }).envelope(0, ROWS, 8);
    expect(extremes(envelope).max).toBe(10);
    expect(columns(envelope)).toEqual(bruteForce(envelope, calibration));
  });

  it('a polynomial monotonic over the range is mapped from the pyramid (x³ + x)', async () => {
    const raw = await rawSource();
    const calibration: Calibration = { kind: 'polynomial', coefficients: [0, 1, 0, 1] };
    const reads = raw.reads;
    const envelope = await calibratedSource(raw, { name: 'C', channel: 1, calibration, units: 'u' }).envelope(0, ROWS, 8);
    expect(raw.reads).toBe(reads);
    expect(extremes(envelope)).toEqual({ min: -1953250, max: 1941554.421875 });
  });

  it('statistics per timeslice of the calibrated signal', async () => {
    const raw = await rawSource();
    const signal = calibratedSource(raw, { name: 'I', channel: 1, calibration: { kind: 'linear', gain: -2, offset: 0 }, units: 'mA' });
    const result = await timesliceStatistics(signal, { statistics: ['min', 'max', 'mean'], timeslice: 'minute', timeslice_is_static: true, time_zone: 'UTC' });
    expect(result.slices).toHaveLength(1); // 40 s of 10:00
    expect(result.slices[0]!.channels[0]!.values).toEqual({ min: -249.5, max: 250, mean: 0.25 });
  });

  it('its spectrum is the calibrated one (gain 3: magnitudes × 3), kept as an array whose source is the signal', async () => {
    const raw = await rawSource();
    const signal = calibratedSource(raw, { name: 'I', channel: 1, calibration: { kind: 'linear', gain: 3, offset: 0 }, units: 'mA', source: 'signal-1' });
    const rawId = await computeSpectrum(raw.storage, raw.id, { scale: 'magnitude', segment: 1024 }, { recordStep: false });
    const id = await computeSourceSpectrum(raw.storage, signal, 'signal-1', { scale: 'magnitude', segment: 1024 });
    const spectrum = await getDataArray(raw.storage, id);
    expect(spectrum).toMatchObject({ source: 'signal-1', title: 'Spectrum of I', units: { y: 'mA' }, shape: [513] });
    const bins = await storageArraySource(raw.storage, id, spectrum).read(0, 20);
    const rawBins = await storageArraySource(raw.storage, rawId, await getDataArray(raw.storage, rawId)).read(0, 20); // two channels, interleaved
    // The raw array is float32, the calibrated signal float64: equal to 7 digits.
    for (let bin = 1; bin < 20; bin += 1) expect(bins[bin]! / (3 * rawBins[bin * 2 + 1]!)).toBeCloseTo(1, 7);
    expect(bins[1]).toBeGreaterThan(1); // the sawtooth's 1 Hz fundamental is there
  });
});

import { describe, expect, it } from 'vitest';
import { MemoryStorage, QueryStorage, UuidStorage, type Storage } from '../../storage';
import { appendSamples, createDataArray, getDataArray, type DType } from '../../storage/arrays';
import { storageArraySource } from './array-source';
import type { StatisticsParameters } from './parameters';
import { SKETCH_RELATIVE_ACCURACY } from './quantile-sketch';
import { NoTimeAxisError, TimeChannelError } from './statistics-error';
import { timesliceStatistics, type StatisticsResult } from './timeslice-statistics';
import { dynamicSlices, staticSlices } from './timeslices';

const ALL = ['count', 'sum', 'min', 'max', 'mean', 'rms', 'std', 'median', 'q1', 'q3', 'p90', 'p99', 'p0', 'p100', 'p37.5'];

function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Interleaved samples with NaN and ±Infinity sprinkled in (some in runs, so they cross chunk boundaries). */
function signal(rows: number, channels: number, seed: number): Float64Array {
  const next = random(seed);
  const values = new Float64Array(rows * channels);
  for (let index = 0; index < values.length; index += 1) {
    const roll = next();
    values[index] = roll < 0.03 ? NaN : roll < 0.035 ? (next() < 0.5 ? Infinity : -Infinity) : (next() - 0.5) * 20 + Math.sin(index / 700) * 5;
  }
  for (let index = 997 * channels; index < 1013 * channels; index += 1) values[index] = NaN; // a run across a 1000-row chunk edge
  return values;
}

async function makeArray(storage: Storage, values: Float64Array, { channels, rate, start, dtype = 'float64' }: { channels: number; rate: number; start: string; dtype?: DType }): Promise<string> {
  const id = await createDataArray(storage, { title: 'vibration', dtype, channels, sampling_rate: rate, start_time: start });
  await appendSamples(storage, id, dtype === 'float32' ? Float32Array.from(values) : values);
  return id;
}

/** The type-7 quantile of sorted values. */
function quantile(sorted: number[], q: number): number | null {
  if (sorted.length === 0) return null;
  const rank = q * (sorted.length - 1);
  const below = Math.floor(rank);
  const above = Math.min(sorted.length - 1, below + 1);
  return sorted[below]! + (rank - below) * (sorted[above]! - sorted[below]!);
}

/** Every statistic of every slice, the slow obvious way: each sample's own time, sorted slice values. */
function bruteForce(values: ArrayLike<number>, channels: number, rate: number, startMs: number, slices: { start: number; end: number }[], from: number, to: number) {
  return bruteForceByTime(values, channels, (row) => startMs + (row * 1000) / rate, slices, from, to);
}

/** The same with each sample's time (ms) from `timeOf`. */
function bruteForceByTime(values: ArrayLike<number>, channels: number, timeOf: (row: number) => number, slices: { start: number; end: number }[], from: number, to: number) {
  return slices.map((slice) =>
    Array.from({ length: channels }, (_, channel) => {
      const finite: number[] = [];
      let nan = 0;
      let infinite = 0;
      for (let row = 0; row < values.length / channels; row += 1) {
        const time = timeOf(row);
        if (time < Math.max(slice.start, from) || time >= Math.min(slice.end, to)) continue;
        const value = values[row * channels + channel]!;
        if (Number.isNaN(value)) nan += 1;
        else if (!Number.isFinite(value)) infinite += 1;
        else finite.push(value);
      }
      finite.sort((a, b) => a - b);
      const count = finite.length;
      const sum = finite.reduce((total, value) => total + value, 0);
      const mean = count ? sum / count : null;
      return {
        nan,
        infinite,
        values: {
          count,
          sum,
          min: count ? finite[0]! : null,
          max: count ? finite[count - 1]! : null,
          mean,
          rms: count ? Math.sqrt(finite.reduce((total, value) => total + value * value, 0) / count) : null,
          std: count > 1 ? Math.sqrt(finite.reduce((total, value) => total + (value - mean!) ** 2, 0) / (count - 1)) : null,
          median: quantile(finite, 0.5),
          q1: quantile(finite, 0.25),
          q3: quantile(finite, 0.75),
          p90: quantile(finite, 0.9),
          p99: quantile(finite, 0.99),
          p0: quantile(finite, 0),
          p100: quantile(finite, 1),
          'p37.5': quantile(finite, 0.375),
        } as Record<string, number | null>,
        sorted: finite,
      };
    }),
  );
}

function expectSame(result: StatisticsResult, expected: ReturnType<typeof bruteForce>): void {
  expect(result.slices).toHaveLength(expected.length);
  result.slices.forEach((slice, index) =>
    slice.channels.forEach((channel, c) => {
      const want = expected[index]![c]!;
      expect(channel.nan, `${slice.label} nan`).toBe(want.nan);
      expect(channel.infinite, `${slice.label} infinite`).toBe(want.infinite);
      for (const [name, value] of Object.entries(want.values)) {
        if (value === null) expect(channel.values[name], `${slice.label} ${name}`).toBeNull();
        else if (['count', 'min', 'max', 'median', 'q1', 'q3', 'p90', 'p99', 'p0', 'p100', 'p37.5'].includes(name)) expect(channel.values[name], `${slice.label} ${name}`).toBeCloseTo(value, 12);
        else expect(channel.values[name], `${slice.label} ${name}`).toBeCloseTo(value, 8);
      }
    }),
  );
}

const stack = () => new QueryStorage(new UuidStorage(new MemoryStorage()));

describe('statistics per timeslice', () => {
  it('equals brute force per static hour, with NaN and ±Infinity across chunk edges, on two channels', async () => {
    const storage = stack();
    const rate = 2; // samples per second: 7,200 per hour
    const start = '2024-02-28T22:41:13.250Z';
    const values = signal(40_000, 2, 1);
    const id = await makeArray(storage, values, { channels: 2, rate, start });
    const source = storageArraySource(storage, id, await getDataArray(storage, id));
    const parameters: StatisticsParameters = { statistics: ALL, timeslice: 'hour', timeslice_is_static: true, time_zone: 'UTC' };
    const progress: number[] = [];
    const result = await timesliceStatistics(source, parameters, { chunkSamples: 1000, onProgress: (done) => progress.push(done) });
    const startMs = Date.parse(start);
    const end = startMs + (40_000 * 1000) / rate;
    expectSame(result, bruteForce(values, 2, rate, startMs, staticSlices('hour', startMs, end, 'UTC'), startMs, end));
    expect(result.slices[0]!.label).toBe('2024-02-28T22:00+00:00');
    expect(result.exact).toBe(true);
    expect(result.samples_read).toBe(40_000);
    expect(progress.at(-1)).toBe(40_000);
    expect(progress.every((done, index) => index === 0 || done > progress[index - 1]!)).toBe(true);
  });

  it('equals brute force per static day across a change of clocks and a leap day, within a range', async () => {
    const storage = stack();
    const rate = 1 / 60; // a sample a minute
    const start = '2024-02-27T00:00:00Z';
    const values = signal(60 * 24 * 40, 1, 2); // 40 days: past 31 March (23-hour day in Paris)
    const id = await makeArray(storage, values, { channels: 1, rate, start, dtype: 'float32' });
    const source = storageArraySource(storage, id, await getDataArray(storage, id));
    const parameters: StatisticsParameters = { statistics: ALL, timeslice: 'day', timeslice_is_static: true, time_zone: 'Europe/Paris', start_date: '2024-02-28T06:30', end_date: '2024-04-02' };
    const result = await timesliceStatistics(source, parameters, { chunkSamples: 777 });
    const from = Date.parse('2024-02-28T05:30:00Z');
    const to = Date.parse('2024-04-01T22:00:00Z');
    const slices = staticSlices('day', from, to, 'Europe/Paris');
    expect(slices.map((slice) => slice.label)).toContain('2024-02-29');
    expect(result.slices.find((slice) => slice.label === '2024-03-31')).toMatchObject({ channels: [{ values: { count: expect.any(Number) } }] });
    const float32 = Float32Array.from(values);
    expectSame(result, bruteForce(float32, 1, rate, Date.parse(start), slices, from, to));
    const march31 = result.slices.find((slice) => slice.label === '2024-03-31')!;
    expect(march31.last - march31.first).toBe(23 * 60);
  });

  it('equals brute force per dynamic slices from an odd start', async () => {
    const storage = stack();
    const rate = 10;
    const start = '2024-10-26T23:59:59.950Z';
    const values = signal(25_000, 1, 3);
    const id = await makeArray(storage, values, { channels: 1, rate, start });
    const source = storageArraySource(storage, id, await getDataArray(storage, id));
    const parameters: StatisticsParameters = { statistics: ALL, timeslice: 'minute', timeslice_is_static: false, start_date: '2024-10-27T00:00:07.3Z', time_zone: 'Europe/Paris' };
    const result = await timesliceStatistics(source, parameters, { chunkSamples: 4096 });
    const from = Date.parse('2024-10-27T00:00:07.300Z');
    const to = Date.parse(start) + 2_500_000;
    const slices = dynamicSlices('minute', from, to, 'Europe/Paris');
    expect(result.slices[0]!.start).toBe('2024-10-27T00:00:07.300Z');
    expectSame(result, bruteForce(values, 1, rate, Date.parse(start), slices, from, to));
  });

  it('switches a slice too long to keep to the sketch, whose quantiles stay within the stated bound', async () => {
    const storage = stack();
    const values = signal(30_000, 1, 4);
    const id = await makeArray(storage, values, { channels: 1, rate: 1, start: '2024-01-01T00:00:00Z' });
    const source = storageArraySource(storage, id, await getDataArray(storage, id));
    const result = await timesliceStatistics(source, { statistics: ALL, timeslice: 'hour', timeslice_is_static: true, time_zone: 'UTC' }, { exactLimit: 1000, chunkSamples: 700 });
    expect(result.exact).toBe(false);
    const expected = bruteForce(values, 1, 1, Date.parse('2024-01-01T00:00:00Z'), staticSlices('hour', Date.parse('2024-01-01T00:00:00Z'), Date.parse('2024-01-01T00:00:00Z') + 30_000_000, 'UTC'), -Infinity, Infinity);
    result.slices.forEach((slice, index) => {
      const { sorted, values: want } = expected[index]![0]!;
      const got = slice.channels[0]!;
      expect(got.exact).toBe(sorted.length <= 1000);
      expect(got.values['count']).toBe(want['count']);
      expect(got.values['mean']).toBeCloseTo(want['mean']!, 8); // moments stay exact
      for (const [name, q] of [['median', 0.5], ['q1', 0.25], ['q3', 0.75], ['p90', 0.9], ['p99', 0.99], ['p37.5', 0.375]] as const) {
        const value = got.values[name]!;
        const rank = q * (sorted.length - 1);
        // Within the bound of the sample of rank q·(n − 1), rounded either way.
        const near = [sorted[Math.floor(rank)]!, sorted[Math.ceil(rank)]!].some((truth) => Math.abs(value - truth) <= SKETCH_RELATIVE_ACCURACY * Math.abs(truth) + 1e-12);
        expect(near, `${slice.label} ${name}: ${value} vs ${sorted[Math.floor(rank)]}`).toBe(true);
      }
    });
  });

  it('answers min and max from the pyramid without reading samples, reading only a slice holding ±Infinity', async () => {
    const storage = stack();
    const next = random(5);
    const values = Float64Array.from({ length: 50_000 }, () => next() * 10 - 5);
    values[1234] = NaN;
    const id = await makeArray(storage, values, { channels: 1, rate: 5, start: '2024-06-01T00:00:00Z' });
    const source = storageArraySource(storage, id, await getDataArray(storage, id));
    const parameters: StatisticsParameters = { statistics: ['min', 'max'], timeslice: 'hour', timeslice_is_static: true, time_zone: 'UTC' };
    const startMs = Date.parse('2024-06-01T00:00:00Z');
    const slices = staticSlices('hour', startMs, startMs + 10_000_000, 'UTC');
    const result = await timesliceStatistics(source, parameters);
    expect(result.samples_read).toBe(0);
    expectSameExtremes(result, bruteForce(values, 1, 5, startMs, slices, -Infinity, Infinity));

    const withInfinity = values.slice();
    withInfinity[20_000] = Infinity; // in the second hour (18,000 ≤ 20,000 < 36,000)
    const other = await makeArray(storage, withInfinity, { channels: 1, rate: 5, start: '2024-06-01T00:00:00Z' });
    const read = await timesliceStatistics(storageArraySource(storage, other, await getDataArray(storage, other)), parameters);
    expect(read.samples_read).toBe(18_000);
    expectSameExtremes(read, bruteForce(withInfinity, 1, 5, startMs, slices, -Infinity, Infinity));
  });

  it('stops when cancelled, and refuses an array without a time axis', async () => {
    const storage = stack();
    const id = await makeArray(storage, signal(20_000, 1, 6), { channels: 1, rate: 100, start: '2024-06-01T00:00:00Z' });
    const source = storageArraySource(storage, id, await getDataArray(storage, id));
    const controller = new AbortController();
    const run = timesliceStatistics(source, { statistics: 'p99', timeslice: 'minute', timeslice_is_static: true }, { signal: controller.signal, chunkSamples: 1000, onProgress: () => controller.abort() });
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    const plain = await createDataArray(storage, { title: 'spectrum', dtype: 'float32' });
    await expect(timesliceStatistics(storageArraySource(storage, plain, await getDataArray(storage, plain)), { statistics: 'max' })).rejects.toBeInstanceOf(NoTimeAxisError);
  });
});

function expectSameExtremes(result: StatisticsResult, expected: ReturnType<typeof bruteForce>): void {
  expect(result.slices).toHaveLength(expected.length);
  result.slices.forEach((slice, index) => {
    expect(slice.channels[0]!.values).toEqual({ min: expected[index]![0]!.values['min'], max: expected[index]![0]!.values['max'] });
  });
}

/** A Data Array of [value, time] rows: time_channel 1, seconds after `start`. */
async function makeTimedArray(storage: Storage, values: ArrayLike<number>, seconds: ArrayLike<number>, start?: string): Promise<string> {
  const id = await createDataArray(storage, { title: 'logger', dtype: 'float64', channels: 2, time_channel: 1, ...(start ? { start_time: start } : {}) });
  const rows = new Float64Array(values.length * 2);
  for (let row = 0; row < values.length; row += 1) {
    rows[row * 2] = values[row]!;
    rows[row * 2 + 1] = seconds[row]!;
  }
  await appendSamples(storage, id, rows);
  return id;
}

/** Channel 0 of each slice: the value channel of a [value, time] array. */
function valueChannel(result: StatisticsResult): StatisticsResult {
  return { ...result, slices: result.slices.map((slice) => ({ ...slice, channels: [slice.channels[0]!] })) };
}

describe('statistics per timeslice by a time channel (samples not evenly spaced)', () => {
  // 10:00:00, 10:16:40, 10:59:59.5 | 11:00:00, 11:00:00.25 | 12:01:40, 12:01:40 (a repeated time) | 13:03:20
  const seconds = [0, 1000, 3599.5, 3600, 3600.25, 7300, 7300, 11000];
  const values = [1, 2, 6, 10, 20, 5, 7, 100];
  const start = '2024-06-01T10:00:00Z';

  it('slices by each sample’s own time per static hour, a boundary inside a chunk, with exact values', async () => {
    const storage = stack();
    const id = await makeTimedArray(storage, values, seconds, start);
    const source = storageArraySource(storage, id, await getDataArray(storage, id));
    const progress: number[] = [];
    // Chunks of 2 samples: the 10:00 | 11:00 boundary falls between samples 2 and 3, inside the chunk [2, 4).
    const result = await timesliceStatistics(source, { statistics: ['count', 'sum', 'min', 'max', 'mean', 'median', 'rms', 'std'], timeslice: 'hour', timeslice_is_static: true, time_zone: 'UTC' }, { chunkSamples: 2, onProgress: (done) => progress.push(done) });
    expect(result.slices.map(({ label, first, last }) => [label, first, last])).toEqual([
      ['2024-06-01T10:00+00:00', 0, 3],
      ['2024-06-01T11:00+00:00', 3, 5],
      ['2024-06-01T12:00+00:00', 5, 7],
      ['2024-06-01T13:00+00:00', 7, 8],
    ]);
    const [ten, eleven, twelve, thirteen] = result.slices.map((slice) => slice.channels[0]!);
    expect(ten).toEqual({ values: { count: 3, sum: 9, min: 1, max: 6, mean: 3, median: 2, rms: Math.sqrt(41 / 3), std: Math.sqrt(7) }, nan: 0, infinite: 0, exact: true });
    expect(eleven!.values).toEqual({ count: 2, sum: 30, min: 10, max: 20, mean: 15, median: 15, rms: Math.sqrt(250), std: Math.sqrt(50) });
    expect(twelve!.values).toMatchObject({ count: 2, mean: 6, median: 6 });
    expect(thirteen!.values).toMatchObject({ count: 1, sum: 100, median: 100, std: null });
    // The time channel has no statistics of its own.
    expect(result.slices[0]!.channels[1]!.values).toEqual({ count: null, sum: null, min: null, max: null, mean: null, median: null, rms: null, std: null });
    expect(result.samples_read).toBe(8);
    expect(progress).toEqual([2, 4, 6, 8]);
  });

  it('slices dynamically from an odd start, within a range, and stops reading at its end', async () => {
    const storage = stack();
    const id = await makeTimedArray(storage, values, seconds, start);
    const source = storageArraySource(storage, id, await getDataArray(storage, id));
    const result = await timesliceStatistics(source, { statistics: ['count', 'mean', 'p99'], timeslice: 'hour', timeslice_is_static: false, start_date: '2024-06-01T10:30:00Z', end_date: '2024-06-01T12:00:00Z' }, { chunkSamples: 3 });
    expect(result.slices.map(({ start: from, first, last, channels }) => [from, first, last, channels[0]!.values['count'], channels[0]!.values['mean']])).toEqual([
      ['2024-06-01T10:30:00.000Z', 2, 5, 3, 12],
      ['2024-06-01T11:30:00.000Z', 5, 5, 0, null], // cut at 12:00: 12:01:40 is past the end
    ]);
    // 6, 10, 20: rank 0.99 · 2 = 1.98, between 10 and 20.
    expect(result.slices[0]!.channels[0]!.values['p99']).toBeCloseTo(10 + 0.98 * 10, 12);
    expect(result.samples_read).toBe(6); // the chunk [3, 6) holds the first sample past the end: nothing after it is read
  });

  it('equals brute force on random uneven times, NaNs across chunk edges, per calendar day across a change of clocks', async () => {
    const storage = stack();
    const next = random(7);
    const rows = 30_000;
    const times = new Float64Array(rows);
    // Gaps from 0 (repeated times) to about 4 minutes: about 40 days, past the end of March in Paris.
    for (let row = 1; row < rows; row += 1) times[row] = times[row - 1]! + (next() < 0.05 ? 0 : next() * 230);
    const data = signal(rows, 1, 8);
    const begin = '2024-02-27T13:07:00.125Z';
    const id = await makeTimedArray(storage, data, times, begin);
    const source = storageArraySource(storage, id, await getDataArray(storage, id));
    const parameters: StatisticsParameters = { statistics: ALL, timeslice: 'day', timeslice_is_static: true, time_zone: 'Europe/Paris', start_date: '2024-02-28T06:30' };
    const result = await timesliceStatistics(source, parameters, { chunkSamples: 1000 });
    const origin = Date.parse(begin);
    const timeOf = (row: number) => origin + times[row]! * 1000;
    const from = Date.parse('2024-02-28T05:30:00Z');
    const to = timeOf(rows - 1) + 0.001;
    const slices = staticSlices('day', from, to, 'Europe/Paris');
    expect(slices.map((slice) => slice.label)).toContain('2024-03-31');
    expectSame(valueChannel(result), bruteForceByTime(data, 1, timeOf, slices, from, to));
    for (const slice of result.slices) {
      const lower = Math.max(Date.parse(slice.start), from);
      expect(slice.first, slice.label).toBe(times.findIndex((_, row) => timeOf(row) >= lower));
    }
  });

  it('refuses a time that goes back, and an array with neither time channel nor sampling rate', async () => {
    const storage = stack();
    const id = await makeTimedArray(storage, [1, 2, 3, 4], [0, 10, 5, 20], start);
    const run = timesliceStatistics(storageArraySource(storage, id, await getDataArray(storage, id)), { statistics: 'mean', timeslice: 'minute', timeslice_is_static: true });
    await expect(run).rejects.toBeInstanceOf(TimeChannelError);
    await expect(run).rejects.toThrow('the time of sample 2 is missing or before the time of the sample before it');
    const unstarted = await makeTimedArray(storage, [1, 2], [1_717_236_000, 1_717_236_001]); // seconds since 1970: 2024-06-01T10:00:00Z
    const result = await timesliceStatistics(storageArraySource(storage, unstarted, await getDataArray(storage, unstarted)), { statistics: 'mean', timeslice: 'hour', timeslice_is_static: true, time_zone: 'UTC' });
    expect(result.slices.map((slice) => [slice.label, slice.channels[0]!.values['mean']])).toEqual([['2024-06-01T10:00+00:00', 1.5]]);
  });
});

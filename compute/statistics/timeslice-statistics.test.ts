import { describe, expect, it } from 'vitest';
import { MemoryStorage, QueryStorage, UuidStorage, type Storage } from '../../storage';
import { appendSamples, createDataArray, getDataArray, type DType } from '../../storage/arrays';
import { storageArraySource } from './array-source';
import type { StatisticsParameters } from './parameters';
import { SKETCH_RELATIVE_ACCURACY } from './quantile-sketch';
import { NoTimeAxisError } from './statistics-error';
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
  return slices.map((slice) =>
    Array.from({ length: channels }, (_, channel) => {
      const finite: number[] = [];
      let nan = 0;
      let infinite = 0;
      for (let row = 0; row < values.length / channels; row += 1) {
        const time = startMs + (row * 1000) / rate;
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

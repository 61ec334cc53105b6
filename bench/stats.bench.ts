// Browser side of `npm run bench:stats`: hourly statistics (count, sum, min, max, mean, RMS, std, median, quartiles,
// p90, p99) of a large float32 array in IndexedDB, against just reading its bytes in the same run (same chunks, same
// order); then the same statistics from the sketch alone, for the sketch's p99 error against the exact p99.
import { createLocalStorage } from '../storage';
import { appendSamples, createDataArray, getDataArray, readRange, sampleCount } from '../storage/arrays';
import { demoSamples } from '../compute/signals/demo-signal';
import { NAMED_STATISTICS, storageArraySource, timesliceStatistics } from '../compute/statistics';

interface Options {
  samples: number;
  rate: number;
}

const CHUNK = 1 << 18;

export async function run({ samples, rate }: Options) {
  const storage = createLocalStorage(`bench-stats-${Date.now()}`);
  const id = await createDataArray(storage, { title: 'bench', dtype: 'float32', sampling_rate: rate, start_time: '2024-06-01T00:00:00Z' });
  const batch = 1 << 20;
  for (let start = 0; start < samples; start += batch) await appendSamples(storage, id, demoSamples(start, Math.min(batch, samples - start), 1));
  const doc = await getDataArray(storage, id);
  console.log(`${sampleCount(doc).toExponential(2)} samples written`);

  const readAll = async () => {
    const t = performance.now();
    let checksum = 0;
    for (let start = 0; start < samples; start += CHUNK) checksum += (await readRange(storage, doc, id, start, Math.min(start + CHUNK, samples))).data[0]!;
    return { seconds: (performance.now() - t) / 1000, checksum };
  };
  const parameters = { statistics: [...NAMED_STATISTICS], timeslice: 'hour', timeslice_is_static: true, time_zone: 'UTC' };
  const source = storageArraySource(storage, id, doc);
  const statistics = async (exactLimit?: number) => {
    const t = performance.now();
    const result = await timesliceStatistics(source, parameters, { chunkSamples: CHUNK, ...(exactLimit !== undefined ? { exactLimit } : {}) });
    return { seconds: (performance.now() - t) / 1000, result };
  };

  const read1 = await readAll();
  const exact = await statistics();
  const read2 = await readAll();
  const sketched = await statistics(0);
  let worst = 0;
  exact.result.slices.forEach((slice, index) => {
    const truth = slice.channels[0]!.values['p99']!;
    const estimate = sketched.result.slices[index]!.channels[0]!.values['p99']!;
    worst = Math.max(worst, Math.abs(estimate - truth) / Math.abs(truth));
  });
  const readSeconds = (read1.seconds + read2.seconds) / 2;
  return {
    slices: exact.result.slices.length,
    exact: exact.result.exact ? 1 : 0,
    read_s: readSeconds,
    stats_s: exact.seconds,
    sketch_s: sketched.seconds,
    vs_read: exact.seconds / readSeconds,
    p99_rel_err: worst,
    read_mib_per_s: (samples * 4) / 2 ** 20 / readSeconds,
  };
}

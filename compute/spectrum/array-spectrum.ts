import { updateDocument, type ProcessStep, type Storage } from '../../storage';
import { appendStep } from '../chain/operation';
import { appendSamples, channelCount, completeDataArray, createDataArray, getDataArray, sampleCount, type NumericArray } from '../../storage/arrays';
import { storageArraySource, type ArraySource } from '../statistics/array-source';
import { WelchAccumulator, defaultSegment, segmentRanges, type Spectrum, type SpectrumParams } from './welch';
import { loadFastFft } from '../fft/real-fft';

export interface SpectrumRun {
  signal?: AbortSignal;
  /** 0 … 1 as the source array is read. */
  onProgress?: (fraction: number) => void;
  /** Record the step in the source's `process` list (default true; the chain runner records its own). */
  recordStep?: boolean;
  /** Workers sharing the array's segments on a page (default: one per core, at most 4, for arrays of 2^22 samples or more). */
  workers?: number;
  /** The new array's id (default a new one; see createDataArray's `id`). */
  outputId?: string;
}

/** Samples from which a page splits the spectrum over several workers (below, one worker is as fast). */
const PARALLEL_FROM = 1 << 22;
/** Samples per read: reading costs a fixed few ms per call beyond its bytes (bench:fft). */
const readSamples = (channels: number) => Math.max(1 << 16, Math.floor((1 << 21) / channels));

type WelchRun = { signal?: AbortSignal; onProgress?: ((fraction: number) => void) | undefined };
type WelchSetup = SpectrumParams & { segment: number };

/** Samples [start, end) of `source` read chunk by chunk, `readSamples` at a time. */
async function* chunksOf(source: ArraySource, start: number, end: number, channels: number, signal: AbortSignal | undefined): AsyncGenerator<{ end: number; data: NumericArray }> {
  for (let from = start; from < end; from += readSamples(channels)) {
    const to = Math.min(from + readSamples(channels), end);
    yield { end: to, data: await source.read(from, to, signal) };
  }
}

/** Welch's spectrum read and computed in this thread (a worker already, or Node). */
async function welchHere(source: ArraySource, samples: number, channels: number, params: WelchSetup, { onProgress, signal }: WelchRun): Promise<Spectrum> {
  const welch = new WelchAccumulator(channels, params);
  for await (const { end, data } of chunksOf(source, 0, samples, channels, signal)) {
    welch.push(data);
    onProgress?.(end / samples);
  }
  return welch.finish();
}

/**
 * Welch's spectrum computed in workers: one per core for a long array, each given a run of whole segments (read
 * side by side, at most two chunks ahead of each worker), their sums added up here. The same spectrum as one worker's,
 * to rounding.
 */
async function welchInWorkers(source: ArraySource, samples: number, channels: number, params: WelchSetup, { onProgress, workers, ...options }: WelchRun & { workers?: number | undefined }): Promise<Spectrum> {
  const { SpectrumWorker } = await import('../worker/spectrum-in-worker');
  const whole = new WelchAccumulator(channels, params);
  const parts = workers ?? (samples >= PARALLEL_FROM ? Math.min(4, Math.max(1, navigator.hardwareConcurrency || 1)) : 1);
  const ranges = segmentRanges(samples, whole.params.segment, whole.segmentStep, parts);
  let read = 0;
  const feed = async (worker: InstanceType<typeof SpectrumWorker>, start: number, end: number, signal = options.signal) => {
    for await (const { end: to, data } of chunksOf(source, start, end, channels, signal)) {
      const from = to - data.length / channels;
      await worker.push(data instanceof Float32Array || data instanceof Float64Array ? data : Float64Array.from(data));
      read += to - from;
      onProgress?.(Math.min(1, read / samples));
    }
  };
  if (ranges.length <= 1) {
    const worker = new SpectrumWorker(channels, params, options.signal);
    await feed(worker, 0, samples); // a signal shorter than a segment too: the worker zero-pads it
    return worker.finish();
  }
  // One part failing stops the others.
  const stop = new AbortController();
  const onAbort = () => stop.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const partials = await Promise.all(
    ranges.map(async ({ start, end }) => {
      const worker = new SpectrumWorker(channels, params, stop.signal);
      await feed(worker, start, end, stop.signal);
      return worker.partial();
    }),
  )
    .catch((error: unknown) => {
      stop.abort(error);
      throw error;
    })
    .finally(() => options.signal?.removeEventListener('abort', onAbort));
  for (const partial of partials) whole.add(partial);
  return whole.finish();
}

/**
 * The spectrum of a Data Array, stored as a new Data Array (one channel per source channel, x in Hz) linked to its
 * source, with its parameters and the peak. Reads the source chunk by chunk, so memory stays bounded whatever its
 * length. The source's `process` list records the step. Resolves to the new array's id.
 */
export async function computeSpectrum(
  storage: Storage,
  arrayId: string,
  params: Partial<Omit<SpectrumParams, 'samplingRate'>> = {},
  { signal, onProgress, recordStep = true, workers, outputId }: SpectrumRun = {},
): Promise<string> {
  const options = signal ? { signal } : {};
  const started = new Date().toISOString();
  const doc = await getDataArray(storage, arrayId, options);
  const run = { ...options, ...(onProgress ? { onProgress } : {}), ...(workers ? { workers } : {}), ...(outputId === undefined ? {} : { outputId }) };
  const id = await computeSourceSpectrum(storage, storageArraySource(storage, arrayId, doc), arrayId, params, run);
  if (!recordStep) return id;
  const peak = (await getDataArray(storage, id, options))['peak'];
  const step: ProcessStep = { name: 'spectrum', status: 'done', started, finished: new Date().toISOString(), result: { array: id, peak } };
  await updateDocument(storage, arrayId, (source) => appendStep(source, step), options);
  return id;
}

/**
 * The spectrum of anything read like an array (a Data Array, a calibrated signal: see ArraySource), stored as a new
 * Data Array whose `source` is `sourceId`. Reads chunk by chunk. Resolves to the new array's id.
 */
export async function computeSourceSpectrum(
  storage: Storage,
  source: ArraySource,
  sourceId: string,
  params: Partial<Omit<SpectrumParams, 'samplingRate'>> = {},
  { signal, onProgress, workers, outputId }: Omit<SpectrumRun, 'recordStep'> = {},
): Promise<string> {
  const options = signal ? { signal } : {};
  const { doc } = source;
  await loadFastFft();
  const samples = sampleCount(doc);
  if (samples < 2) throw new RangeError(`“${doc.title}” has ${samples} sample${samples === 1 ? '' : 's'}: a spectrum needs at least 2.`);
  const channels = channelCount(doc);
  const samplingRate = doc.sampling_rate ?? 1;
  const welchParams = { ...params, samplingRate, segment: params.segment ?? defaultSegment(samples) };
  // On a page the FFTs run in workers (the page stays responsive); in a worker already (the chain's) or in Node, here.
  const inWorker = typeof Worker !== 'undefined' && typeof window !== 'undefined';
  const spectrum = inWorker
    ? await welchInWorkers(source, samples, channels, welchParams, { ...options, workers, onProgress })
    : await welchHere(source, samples, channels, welchParams, { ...options, onProgress });
  const bins = spectrum.values[0]!.length;
  const interleaved = new Float64Array(bins * channels);
  let peak = { frequency: 0, value: -Infinity };
  for (let bin = 0; bin < bins; bin += 1) {
    for (let channel = 0; channel < channels; channel += 1) {
      const value = spectrum.values[channel]![bin]!;
      interleaved[bin * channels + channel] = value;
      if (bin > 0 && value > peak.value) peak = { frequency: bin * spectrum.df, value };
    }
  }
  const unit = doc.units?.y ?? '';
  const { scale } = spectrum.params;
  const id = await createDataArray(
    storage,
    {
      title: `Spectrum of ${doc.title}`,
      reference: `spectrum-${doc.reference || sourceId}`,
      dtype: 'float64',
      channels,
      sampling_rate: 1 / spectrum.df, // bins per Hz: x = bin · df
      units: { x: 'Frequency (Hz)', y: scale === 'db' ? 'dB' : scale === 'magnitude' ? unit : `${unit || 'unit'}²/Hz` },
      ...(doc.channel_labels ? { channel_labels: doc.channel_labels } : {}),
      source: sourceId,
      extra: { spectrum: { ...spectrum.params, segments: spectrum.segments, df: spectrum.df }, peak },
      writing: true,
      ...(outputId === undefined ? {} : { id: outputId }),
    },
    options,
  );
  await appendSamples(storage, id, interleaved, options);
  await completeDataArray(storage, id, options);
  return id;
}

import { updateDocument, type ProcessStep, type Storage } from '../../storage';
import { appendStep } from '../chain/operation';
import { appendSamples, channelCount, completeDataArray, createDataArray, getDataArray, sampleCount } from '../../storage/arrays';
import { storageArraySource, type ArraySource } from '../statistics/array-source';
import { WelchAccumulator, defaultSegment, type SpectrumParams } from './welch';
import { loadFastFft } from '../fft/real-fft';

export interface SpectrumRun {
  signal?: AbortSignal;
  /** 0 … 1 as the source array is read. */
  onProgress?: (fraction: number) => void;
  /** Record the step in the source's `process` list (default true; the chain runner records its own). */
  recordStep?: boolean;
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
  { signal, onProgress, recordStep = true }: SpectrumRun = {},
): Promise<string> {
  const options = signal ? { signal } : {};
  const started = new Date().toISOString();
  const doc = await getDataArray(storage, arrayId, options);
  const id = await computeSourceSpectrum(storage, storageArraySource(storage, arrayId, doc), arrayId, params, { ...options, ...(onProgress ? { onProgress } : {}) });
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
  { signal, onProgress }: Omit<SpectrumRun, 'recordStep'> = {},
): Promise<string> {
  const options = signal ? { signal } : {};
  const { doc } = source;
  await loadFastFft();
  const samples = sampleCount(doc);
  if (samples < 2) throw new RangeError(`“${doc.title}” has ${samples} sample${samples === 1 ? '' : 's'}: a spectrum needs at least 2.`);
  const channels = channelCount(doc);
  const samplingRate = doc.sampling_rate ?? 1;
  const welchParams = { ...params, samplingRate, segment: params.segment ?? defaultSegment(samples) };
  // On a page the FFTs run in a worker (the page stays responsive); in a worker already (the chain's) or in Node, here.
  const inWorker = typeof Worker !== 'undefined' && typeof window !== 'undefined';
  const { SpectrumWorker } = inWorker ? await import('../worker/spectrum-in-worker') : { SpectrumWorker: undefined };
  const welch = SpectrumWorker ? new SpectrumWorker(channels, welchParams, signal) : new WelchAccumulator(channels, welchParams);
  // Large reads: reading from IndexedDB costs a fixed few ms per call beyond its bytes (bench:fft).
  const chunkSamples = Math.max(1 << 16, Math.floor((1 << 21) / channels));
  for (let start = 0; start < samples; start += chunkSamples) {
    const end = Math.min(start + chunkSamples, samples);
    const data = await source.read(start, end, signal);
    welch.push(data instanceof Float32Array || data instanceof Float64Array ? data : Float64Array.from(data));
    onProgress?.(end / samples);
  }
  const spectrum = await welch.finish();
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
    },
    options,
  );
  await appendSamples(storage, id, interleaved, options);
  await completeDataArray(storage, id, options);
  return id;
}

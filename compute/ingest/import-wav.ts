import { isStorageError, type ProcessStep, type Storage } from '../../storage';
import { appendSamples, createDataArray } from '../../storage/arrays';
import { IngestError } from './ingest-error';
import { WavDecoder } from './wav-decoder';

export interface ImportResult {
  streamId: string;
  /** One Data Array per channel. */
  arrayIds: string[];
}

/** Decoded frames are gathered to about this many per channel before each append (fewer transactions). */
const APPEND_FRAMES = 1 << 18;

/**
 * Imports a WAV file: its bytes become a Data Stream (appended as they are read, so files larger than memory work)
 * and its samples one Data Array per channel, linked to the stream. On failure or cancellation nothing stays: the
 * stream and the arrays made so far are removed, and the error names the file (and where in it).
 */
export async function importWav(
  storage: Storage,
  file: Blob & { name: string },
  { signal, onProgress }: { signal?: AbortSignal; onProgress?: (fraction: number) => void } = {},
): Promise<ImportResult> {
  const options = signal ? { signal } : {};
  const started = new Date().toISOString();
  const streamId = await storage.post(
    {
      portal_type: 'Data Stream',
      title: file.name,
      reference: `${file.name}-${started}`,
      modification_date: started,
      content_type: file.type || 'audio/wav',
      size: file.size,
      status: 'importing',
    },
    options,
  );
  const arrayIds: string[] = [];
  try {
    const decoder = new WavDecoder(file.name);
    let pending: Float32Array[] = [];
    let pendingFrames = 0;
    const flush = async () => {
      const format = decoder.format!;
      if (pendingFrames === 0) return;
      if (arrayIds.length === 0) {
        for (let channel = 0; channel < format.channels; channel += 1) {
          arrayIds.push(
            await createDataArray(
              storage,
              {
                title: format.channels === 1 ? file.name : `${file.name} — channel ${channel + 1}`,
                reference: `${file.name}-ch${channel + 1}-${started}`,
                dtype: 'float32',
                sampling_rate: format.sampleRate,
                units: { y: 'full scale' },
                source: streamId,
              },
              options,
            ),
          );
        }
      }
      for (let channel = 0; channel < format.channels; channel += 1) {
        const samples = new Float32Array(pendingFrames);
        let at = 0;
        for (const block of pending) {
          for (let index = channel; index < block.length; index += format.channels) samples[at++] = block[index]!;
        }
        await appendSamples(storage, arrayIds[channel]!, samples, options);
      }
      pending = [];
      pendingFrames = 0;
    };
    const reader = file.stream().getReader();
    let read = 0;
    try {
      for (;;) {
        signal?.throwIfAborted();
        const { done, value } = await reader.read();
        if (done) break;
        await storage.appendAttachment(streamId, 'data', value, { contentType: 'audio/wav', ...options });
        const frames = decoder.push(value);
        if (frames.length > 0) {
          pending.push(frames);
          pendingFrames += frames.length / decoder.format!.channels;
          if (pendingFrames >= APPEND_FRAMES) await flush();
        }
        read += value.length;
        onProgress?.(file.size > 0 ? read / file.size : 1);
      }
    } finally {
      reader.releaseLock();
    }
    decoder.finish();
    await flush();
    const step: ProcessStep = { name: 'import', status: 'done', started, finished: new Date().toISOString(), result: { arrays: arrayIds } };
    const stream = await storage.get(streamId, options);
    await storage.put(streamId, { ...stream, status: 'complete', modification_date: step.finished, process: [step] }, options);
    return { streamId, arrayIds };
  } catch (error) {
    // Nothing half-written stays visible.
    for (const id of [streamId, ...arrayIds]) await storage.remove(id).catch(() => undefined);
    if (isStorageError(error, 507)) throw new IngestError(file.name, 'the device storage is full: nothing of this file was kept. Free space, then import it again.');
    throw error;
  }
}

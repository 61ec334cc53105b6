import { type Doc, type Storage } from '../../storage';
import { iterateChunks } from '../../storage/arrays';
import { ArraysWriter } from '../ingest/import-file';
import { parseRawFormat } from '../ingest/raw-decoder';
import { streamBytesAt } from '../ingest/stream-bytes';
import { Moments } from '../statistics/moments';
import { computeSpectrum } from '../spectrum/array-spectrum';
import { hasDone, type Operation } from './operation';
import { removeStepOutputs, stepOutputId } from './step-outputs';

const PIECE = 1024 * 1024;

/**
 * Data Stream (a WAV or CSV file, or raw samples with their declared `raw_format`, e.g. recorded on another tablet and
 * synced here) → one Data Array per channel.
 */
export const decodeStream: Operation = {
  name: 'decode',
  follows: [''],
  heavy: true,
  applies: (doc) =>
    doc['portal_type'] === 'Data Stream' &&
    doc['status'] !== 'importing' &&
    doc['status'] !== 'recording' && // a recording writes its own array
    !hasDone(doc, 'record') &&
    (/wav|csv|npy/.test(String(doc['content_type'] ?? '')) || doc['raw_format'] !== undefined) &&
    !hasDone(doc, 'import') &&
    !hasDone(doc, 'decode'),
  async run(storage, id, doc, { signal }) {
    const title = String(doc['title'] ?? id);
    // A bad stored format fails the step (recorded, with the stream named) rather than guessing.
    const rawFormat = doc['raw_format'] !== undefined ? parseRawFormat(doc['raw_format'], title) : undefined;
    await removeStepOutputs(storage, id, 'decode', { signal }); // a killed earlier try's arrays
    const bytes = streamBytesAt(id, doc);
    const size = (await storage.allAttachments(bytes.id, { signal }))[bytes.name]?.length ?? 0;
    const writer = new ArraysWriter(storage, title, id, { signal }, String(doc['content_type'] ?? ''), rawFormat, (channel) => stepOutputId(id, 'decode', channel));
    try {
      for (let start = 0; start < size || start === 0; start += PIECE) {
        const piece = await storage.getAttachment(bytes.id, bytes.name, { start, end: start + PIECE, format: 'arraybuffer', signal });
        await writer.push(new Uint8Array(piece));
        if (size === 0) break;
      }
      return { arrays: await writer.finish() };
    } catch (error) {
      await writer.discard();
      throw error;
    }
  },
};

/**
 * Data Array → count, min, max, mean, standard deviation and RMS of the finite values per channel, and how many were NaN
 * or ±Infinity (a dB spectrum's silent bins), in one pass, chunk by chunk.
 */
export const summaryStatistics: Operation = {
  name: 'statistics',
  follows: [''],
  applies: (doc) => doc['portal_type'] === 'Data Array' && !hasDone(doc, 'statistics'),
  async run(storage, id, _doc, { signal }) {
    const channels: Moments[] = [];
    for await (const chunk of iterateChunks(storage, id, { signal })) {
      const [rows, width] = chunk.samples.shape as [number, number];
      for (let channel = 0; channel < width; channel += 1) (channels[channel] ??= new Moments()).addStrided(chunk.samples.data, channel, rows * width, width);
    }
    return { channels: channels.map((moments) => moments.summary()) };
  },
};

/** Data Array decoded from a stream → its spectrum (dB, Hann), as a new Data Array. Spectra and test signals are left alone. */
export const spectrumOfSignal: Operation = {
  name: 'spectrum',
  // After statistics as the chain orders them, or first on an array whose statistics step is left to others.
  follows: ['', 'statistics'],
  heavy: true,
  applies: (doc: Doc) =>
    doc['portal_type'] === 'Data Array' && typeof doc['source'] === 'string' && doc['spectrum'] === undefined && typeof doc['sampling_rate'] === 'number' && Number((doc['shape'] as number[] | undefined)?.[0] ?? 0) >= 2 && !hasDone(doc, 'spectrum'),
  async run(storage: Storage, id, _doc, { signal }) {
    await removeStepOutputs(storage, id, 'spectrum', { signal }); // a killed earlier try's array
    const array = await computeSpectrum(storage, id, { scale: 'db' }, { signal, recordStep: false, outputId: stepOutputId(id, 'spectrum', 0) });
    return { array };
  },
};

/** The chain the app runs: decode → statistics → spectrum. */
export const defaultOperations: Operation[] = [decodeStream, summaryStatistics, spectrumOfSignal];

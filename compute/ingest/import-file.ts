import { isStorageError, updateDocument, type ProcessStep, type Storage } from '../../storage';
import { appendSamples, completeDataArray, createDataArray } from '../../storage/arrays';
import { joinBytes } from './concat-bytes';
import { IngestError } from './ingest-error';
import { WavDecoder } from './wav-decoder';
import { copyWithTimes, timedRows } from './timed-rows';
import { CsvDecoder } from './csv-decoder';
import { NpyDecoder } from './npy-decoder';
import { RAW_FILE_NAME, RawDecoder, checkRawSize, fileBytesAreSamples, parseRawFormat, type RawFormat } from './raw-decoder';
import { withImportLock } from './interrupted-imports';

export interface ImportResult {
  streamId: string;
  /** One Data Array per channel. */
  arrayIds: string[];
}

/** What the writer needs of a decoder: pieces of bytes in, interleaved float32 frames out, and the format once known. */
export interface StreamDecoder {
  push(bytes: Uint8Array): Float32Array;
  finish(): Float32Array;
  readonly format: { channels: number; sampleRate?: number | undefined; startTime?: string | undefined; labels?: string[]; firstTime?: number | undefined; evenTimes?: boolean } | undefined;
  /** Each row's time in seconds, for the frames returned since the last call (decoders of files with a time column). */
  takeTimes?(): Float64Array;
}

/** The decoder for a file: raw samples when their format is declared, else by its name or type: WAV, CSV or NumPy .npy. */
export function decoderFor(fileName: string, contentType = '', rawFormat?: RawFormat): StreamDecoder {
  if (rawFormat) return new RawDecoder(fileName, rawFormat);
  if (/\.wav$/i.test(fileName) || contentType.includes('wav')) return new WavDecoder(fileName);
  if (/\.(csv|txt)$/i.test(fileName) || contentType.includes('csv')) return new CsvDecoder(fileName);
  if (/\.npy$/i.test(fileName) || contentType.includes('npy')) return new NpyDecoder(fileName);
  if (RAW_FILE_NAME.test(fileName)) throw new IngestError(fileName, 'raw samples have no header: declare their format (sample type, channels, byte order) to import them.');
  throw new IngestError(fileName, 'this kind of file cannot be imported yet: use WAV, CSV or .npy.');
}

/** Whether a file can only be imported as raw samples with a declared format: a raw name, or one no decoder knows. */
export function needsRawFormat(fileName: string, contentType = ''): boolean {
  try {
    decoderFor(fileName, contentType);
    return false;
  } catch {
    return true;
  }
}

/**
 * Frames gathered before each append. Every append also extends each level of the arrays' min/max pyramids (a dozen small
 * writes per channel, a few ms each), so fewer, larger appends import much faster (bench:fft): 2^23 values (32 MiB)
 * pending, and never fewer than 2^18 frames (so many channels append as often as before, no more).
 */
function appendFrames(channels: number): number {
  return Math.max(1 << 18, Math.floor((1 << 23) / channels));
}

/**
 * Turns the bytes of a file (WAV, CSV, .npy, raw), fed in pieces, into one Data Array per channel linked to the stream
 * they come from. Used while importing a file and by the chain's decode step for streams that arrive by sync.
 */
export class ArraysWriter {
  readonly arrayIds: string[] = [];
  private readonly decoder: StreamDecoder;
  private pending: Float32Array[] = [];
  private pendingTimes: Float64Array[] = [];
  private pendingFrames = 0;
  /** Whether the arrays carry each sample's time (a time channel): the file's times are not evenly spaced. */
  private timed = false;
  private readonly stamp = new Date().toISOString();
  /** The batch being written (see push). */
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly storage: Storage,
    private readonly fileName: string,
    private readonly streamId: string,
    /** `framesPerAppend`: frames gathered before each append (default: see appendFrames). */
    private readonly options: { signal?: AbortSignal; framesPerAppend?: number } = {},
    contentType = '',
    rawFormat?: RawFormat,
    /** The id of channel n's array (default new ids): the chain's decode gives ids a retry can find (step-outputs). */
    private readonly arrayId?: (channel: number) => string,
  ) {
    this.decoder = decoderFor(fileName, contentType, rawFormat);
  }

  /**
   * Decodes `bytes` (which must not change afterwards: decoded frames may be views of them). A full batch is written
   * while the next one is read: at most one append is under way, and its failure surfaces at the next push or finish.
   */
  async push(bytes: Uint8Array): Promise<void> {
    this.gather(this.decoder.push(bytes));
    // Frames pending means the format is known (a WAV header may still be arriving when there are none).
    if (this.pendingFrames > 0 && this.pendingFrames >= (this.options.framesPerAppend ?? appendFrames(this.decoder.format!.channels))) {
      await this.writing;
      this.writing = this.flush();
      this.writing.catch(() => undefined); // awaited by the next push or finish; not an unhandled rejection meanwhile
    }
  }

  private gather(frames: Float32Array): void {
    const times = this.decoder.takeTimes?.();
    if (times && times.length > 0) this.pendingTimes.push(times);
    if (frames.length === 0) return;
    this.pending.push(frames);
    this.pendingFrames += frames.length / this.decoder.format!.channels;
  }

  /** Checks the file ended well and writes what is left; resolves to the arrays' ids. */
  async finish(): Promise<string[]> {
    this.gather(this.decoder.finish());
    await this.writing;
    await this.flush();
    for (const id of this.arrayIds) await completeDataArray(this.storage, id, this.options);
    return this.arrayIds;
  }

  /** Removes the arrays made so far (after a failure or a cancel). */
  async discard(): Promise<void> {
    await this.writing.catch(() => undefined); // not while a batch is still being written to them
    for (const id of this.arrayIds) await this.storage.remove(id).catch(() => undefined);
  }

  /** Writes the pending frames. Takes them at once (before any wait), so the next batch can gather meanwhile. */
  private async flush(): Promise<void> {
    const format = this.decoder.format!;
    if (this.pendingFrames === 0) return;
    const blocks = this.pending;
    const timeBlocks = this.pendingTimes;
    const frames = this.pendingFrames;
    this.pending = [];
    this.pendingTimes = [];
    this.pendingFrames = 0;
    // Times not evenly spaced (seen in the rows so far): every array gets a time channel, those written as evenly spaced are rewritten.
    const uneven = format.evenTimes === false;
    if (uneven && !this.timed && this.arrayIds.length > 0) await this.rewriteWithTimes();
    this.timed ||= uneven;
    while (this.arrayIds.length < format.channels) this.arrayIds.push(await this.createArray(this.arrayIds.length));
    const times = this.timed ? joinTimes(timeBlocks, frames) : undefined;
    for (let channel = 0; channel < format.channels; channel += 1) {
      const samples = channelOf(blocks, channel, format.channels, frames);
      // Fresh buffers of this writer's own: handed over to the storage, not copied again.
      await appendSamples(this.storage, this.arrayIds[channel]!, times ? timedRows(samples, times, this.timeOrigin()) : samples, { ...this.options, handOver: true });
    }
  }

  /** Seconds the time channel counts from: the start time for dates, else 0 (seconds as the file gives them). */
  private timeOrigin(): number {
    const start = this.decoder.format!.startTime;
    return start === undefined ? 0 : Date.parse(start) / 1000;
  }

  /** Creates the Data Array of `channel`: evenly spaced (a sampling rate) or, with `this.timed`, [value, time] rows. */
  private createArray(channel: number, id = this.arrayId?.(channel)): Promise<string> {
    const format = this.decoder.format!;
    const label = format.labels?.[channel];
    return createDataArray(
      this.storage,
      {
        title: format.channels === 1 ? this.fileName : `${this.fileName} — ${label ?? `channel ${channel + 1}`}`,
        reference: `${this.fileName}-ch${channel + 1}-${this.stamp}`,
        ...(this.timed
          ? { dtype: 'float64', channels: 2, time_channel: 1, channel_labels: [label ?? 'value', 'time'] }
          : { dtype: 'float32', ...(format.sampleRate ? { sampling_rate: format.sampleRate } : {}), ...(label ? { channel_labels: [label] } : {}) }),
        ...(format.startTime ? { start_time: format.startTime } : {}),
        units: { y: this.decoder instanceof WavDecoder ? 'full scale' : '' },
        source: this.streamId,
        writing: true,
        ...(id === undefined ? {} : { id }),
      },
      this.options,
    );
  }

  /** The arrays written so far as evenly spaced, rewritten with a time channel (their times from the sampling rate). */
  private async rewriteWithTimes(): Promise<void> {
    const format = this.decoder.format!;
    this.timed = true;
    for (const [channel, evenId] of this.arrayIds.entries()) {
      // Beside the evenly spaced one while it is copied (a fixed id gets a suffix; a try killed here leaves it behind).
      const timedId = await this.createArray(channel, this.arrayId ? `${this.arrayId(channel)}~timed` : undefined);
      try {
        await copyWithTimes(this.storage, evenId, timedId, { firstTime: format.firstTime ?? 0, rate: format.sampleRate!, origin: this.timeOrigin() }, this.options.signal);
      } catch (error) {
        await this.storage.remove(timedId).catch(() => undefined);
        throw error;
      }
      this.arrayIds[channel] = timedId;
      await this.storage.remove(evenId);
    }
  }
}

/** One channel's values of interleaved blocks, in a new array of `frames` values (a plain copy for one channel). */
function channelOf(blocks: Float32Array[], channel: number, channels: number, frames: number): Float32Array {
  const samples = new Float32Array(frames);
  let at = 0;
  for (const block of blocks) {
    if (channels === 1) {
      samples.set(block, at);
      at += block.length;
      continue;
    }
    for (let index = channel; index < block.length; index += channels) samples[at++] = block[index]!;
  }
  return samples;
}

function joinTimes(blocks: Float64Array[], frames: number): Float64Array {
  const times = new Float64Array(frames);
  let at = 0;
  for (const block of blocks) {
    times.set(block, at);
    at += block.length;
  }
  return times;
}

/** Bytes of the file gathered before each append to its stream. */
const STREAM_APPEND_BYTES = 8 * 1024 * 1024;

export interface ImportOptions {
  signal?: AbortSignal;
  /** 0 … 1 as the file is read. */
  onProgress?: (fraction: number) => void;
  /** The format of headerless samples (required for them, ignored by the other decoders). */
  rawFormat?: RawFormat;
  /**
   * This device's journal of imports in progress (see `openImportJournal`): the import is entered there before anything
   * is written and leaves it once complete or cleaned up, so one killed mid-way is cleaned at the next start.
   */
  journal?: Storage;
}

/**
 * Imports a file (WAV, CSV, .npy, or raw samples of a declared `rawFormat`, which the stream keeps as `raw_format` so it
 * can be decoded again after sync): its bytes become a Data Stream (appended as they are read, so files larger than
 * memory work) and its samples one Data Array per channel, linked to the stream. On failure or cancellation nothing
 * stays: the stream and the arrays made so far are removed, and the error names the file (and where in it). Holds the
 * import's Web Lock while it runs (see `cleanInterruptedImports`). A raw file of one little-endian float32 channel is
 * kept once: the stream names the array holding its bytes (`data_in_array`) instead of a copy of its own.
 */
export async function importFile(storage: Storage, file: Blob & { name: string }, { journal, ...options }: ImportOptions = {}): Promise<ImportResult> {
  const raw = options.rawFormat ? parseRawFormat(options.rawFormat, file.name) : undefined;
  if (raw) checkRawSize(file.name, raw, file.size); // a ragged file is refused before anything is written
  const streamId = crypto.randomUUID(); // known before anything is written, so the journal can name it first
  return withImportLock(streamId, async () => {
    const started = new Date().toISOString();
    await journal?.put(streamId, { file: file.name, started }, options.signal ? { signal: options.signal } : {});
    try {
      const result = await writeImport(storage, file, streamId, started, { ...options, ...(raw ? { rawFormat: raw } : {}) });
      await journal?.remove(streamId);
      return result;
    } catch (error) {
      // Cleaned up (the stream is gone): nothing left for the next start. Otherwise the entry stays, so it is cleaned then.
      const gone = await storage.get(streamId).then(() => false, (failure: unknown) => isStorageError(failure, 404));
      if (gone) await journal?.remove(streamId).catch(() => undefined);
      throw error;
    }
  });
}

async function writeImport(storage: Storage, file: Blob & { name: string }, streamId: string, started: string, { signal, onProgress, rawFormat: raw }: Omit<ImportOptions, 'journal'>): Promise<ImportResult> {
  const options = signal ? { signal } : {};
  // One channel of little-endian float32: the file's bytes are the array's samples, kept once (in the array).
  const samplesArray = raw && fileBytesAreSamples(raw) ? crypto.randomUUID() : undefined;
  await storage.put(
    streamId,
    {
      portal_type: 'Data Stream',
      title: file.name,
      reference: `${file.name}-${started}`,
      modification_date: started,
      content_type: raw ? 'application/octet-stream' : file.type || contentTypeOf(file.name),
      ...(raw ? { raw_format: raw } : {}),
      ...(samplesArray ? { data_in_array: samplesArray } : {}),
      size: file.size,
      status: 'importing',
    },
    options,
  );
  let writer: ArraysWriter | undefined;
  try {
    writer = new ArraysWriter(storage, file.name, streamId, options, file.type, raw, samplesArray ? () => samplesArray : undefined);
    const reader = file.stream().getReader();
    const contentType = file.type || 'application/octet-stream';
    // The file's pieces (64 KiB in Chromium) are appended to the stream 8 MiB at a time: each append of a part-filled
    // storage chunk rewrites it, so small appends would write every byte many times over.
    // Bytes, not a Blob: a Blob lives in the browser's capped blob registry until it is garbage collected.
    let gathered: Uint8Array[] = [];
    let gatheredBytes = 0;
    const appendGathered = async () => {
      if (gatheredBytes === 0) return;
      await storage.appendAttachment(streamId, 'data', joinBytes(gathered, gatheredBytes), { contentType, ...options });
      gathered = [];
      gatheredBytes = 0;
    };
    let read = 0;
    try {
      for (;;) {
        signal?.throwIfAborted();
        const { done, value } = await reader.read();
        if (done) break;
        if (!samplesArray) {
          gathered.push(value);
          gatheredBytes += value.length;
          if (gatheredBytes >= STREAM_APPEND_BYTES) await appendGathered();
        }
        await writer.push(value);
        read += value.length;
        onProgress?.(file.size > 0 ? read / file.size : 1);
      }
      await appendGathered();
    } finally {
      reader.releaseLock();
    }
    const arrayIds = await writer.finish();
    const step: ProcessStep = { name: 'import', status: 'done', started, finished: new Date().toISOString(), result: { arrays: arrayIds } };
    await updateDocument(storage, streamId, (stream) => ({ ...stream, status: 'complete', modification_date: step.finished, process: [step] }), options);
    return { streamId, arrayIds };
  } catch (error) {
    // Nothing half-written stays visible.
    await writer?.discard();
    await storage.remove(streamId).catch(() => undefined);
    if (isStorageError(error, 507)) throw new IngestError(file.name, 'the device storage is full: nothing of this file was kept. Free space, then import it again.');
    throw error;
  }
}

/** The content type a stream keeps when the browser gave the file none (so the chain can decode it after sync). */
export function contentTypeOf(fileName: string): string {
  if (/\.(csv|txt)$/i.test(fileName)) return 'text/csv';
  if (/\.npy$/i.test(fileName)) return 'application/x-npy';
  if (/\.wav$/i.test(fileName)) return 'audio/wav';
  return 'application/octet-stream';
}

import { DATA_ATTACHMENT, type BaseDocument } from '../documents';
import { StorageError } from '../storage-error';
import type { AttachmentInfo, CallOptions, Storage } from '../types';
import { updateDocument } from '../update-document';
import { bytesPerElement, isDType, summaryDType, typedArrayFor, viewAs, type DType, type NumericArray } from './dtypes';
import { checkDataArray, isTimeChannel } from './check-data-array';
import { SampleRows } from './sample-rows';
import { SUMMARY_FIELDS, blockCount, mergeLevel, summarizeSamples } from './pyramid';

/**
 * A Data Array: typed samples × channels, stored row by row (the channels of a sample side by side) in the `data`
 * attachment, which the storage keeps in chunks, with a min/max pyramid in the `pyramid-<level>` attachments.
 */
export interface DataArrayDocument extends BaseDocument {
  portal_type: 'Data Array';
  dtype: DType;
  /** [samples] or [samples, channels]. */
  shape: [number] | [number, number];
  /** Samples per second, when the x axis is time. */
  sampling_rate?: number;
  /** ISO time of sample 0 (with `time_channel`: the instant its times count from). */
  start_time?: string;
  /**
   * The channel (0-based) that holds each sample's own time, for samples not evenly spaced (instead of `sampling_rate`):
   * seconds after `start_time`, or after 1970-01-01T00:00Z without one; the times never decrease. Use float64: float32
   * keeps only about 7 digits. The other channels are the values. Checked on read (a whole number below the channels).
   */
  time_channel?: number;
  /** Units of the x axis (default 's' with a sampling rate, else 'sample') and of the values. */
  units?: { x?: string; y?: string };
  /** One label per channel. */
  channel_labels?: string[];
  /** Where the array came from: the id of its Data Stream or source array. */
  source?: string;
  /** Pyramid layout: blocks of `base · 2^level` samples, summaries stored as `dtype`. */
  pyramid: { base: number; dtype: 'float32' | 'float64' };
}

export interface NewDataArray {
  title: string;
  reference?: string;
  dtype: DType;
  /** Default 1. */
  channels?: number;
  sampling_rate?: number;
  start_time?: string;
  /** See DataArrayDocument.time_channel. */
  time_channel?: number;
  units?: { x?: string; y?: string };
  channel_labels?: string[];
  source?: string;
  /** Extra fields kept on the document (e.g. a spectrum's parameters). */
  extra?: Record<string, unknown>;
  /** The array will be filled in several appends: it is marked 'writing' until `completeDataArray`. */
  writing?: boolean;
  /** The id to create it under (default a new one); 409 when a document has it already (remove that first). */
  id?: string;
}

/** Samples per level-0 pyramid block: 4 summaries per 512 samples cost ≈ 1.6 % of the data. */
export const PYRAMID_BASE = 512;

export function pyramidAttachment(level: number): string {
  return `pyramid-${level}`;
}

export function channelCount(doc: DataArrayDocument): number {
  return doc.shape[1] ?? 1;
}

export function sampleCount(doc: DataArrayDocument): number {
  return doc.shape[0];
}

/** Bytes of the array's samples as its document describes them (the data itself may be on the sync server only). */
export function dataBytes(doc: DataArrayDocument): number {
  return sampleCount(doc) * channelCount(doc) * bytesPerElement(doc.dtype);
}

/** Creates an empty Data Array; returns its id (the storage must be able to post). */
export async function createDataArray(storage: Storage, spec: NewDataArray, { signal }: CallOptions = {}): Promise<string> {
  if (!isDType(spec.dtype)) throw new StorageError(400, `Unknown dtype "${String(spec.dtype)}".`);
  const channels = spec.channels ?? 1;
  if (!Number.isInteger(channels) || channels < 1) throw new StorageError(400, `channels must be a whole number ≥ 1, not ${channels}.`);
  if (spec.sampling_rate !== undefined && !(spec.sampling_rate > 0)) {
    throw new StorageError(400, `sampling_rate must be > 0, not ${spec.sampling_rate}.`);
  }
  if (spec.time_channel !== undefined && !isTimeChannel(spec.time_channel, channels)) {
    throw new StorageError(400, `time_channel must be a channel index below ${channels} with a value channel beside it, not ${spec.time_channel}.`);
  }
  const now = new Date().toISOString();
  const doc: DataArrayDocument = {
    ...spec.extra,
    portal_type: 'Data Array',
    title: spec.title,
    reference: spec.reference ?? `array-${now}`,
    modification_date: now,
    dtype: spec.dtype,
    shape: channels === 1 ? [0] : [0, channels],
    pyramid: { base: PYRAMID_BASE, dtype: summaryDType(spec.dtype) },
    ...(spec.writing ? { status: 'writing' } : {}),
    ...(spec.sampling_rate !== undefined ? { sampling_rate: spec.sampling_rate } : {}),
    ...(spec.start_time !== undefined ? { start_time: spec.start_time } : {}),
    ...(spec.time_channel !== undefined ? { time_channel: spec.time_channel } : {}),
    ...(spec.units !== undefined ? { units: spec.units } : {}),
    ...(spec.channel_labels !== undefined ? { channel_labels: spec.channel_labels } : {}),
    ...(spec.source !== undefined ? { source: spec.source } : {}),
  };
  if (spec.id === undefined) return storage.post(doc, signal ? { signal } : {});
  const id = spec.id;
  await storage.update(
    id,
    (current) => {
      if (current) throw new StorageError(409, `A document "${id}" exists already: remove it before making the array again.`, { id });
      return doc;
    },
    signal ? { signal } : {},
  );
  return id;
}

/**
 * Marks an array made in several appends as complete: until then its `status` is 'writing' (see `createDataArray`'s
 * `writing` option) and processing steps leave it alone.
 */
export async function completeDataArray(storage: Storage, id: string, { signal }: CallOptions = {}): Promise<void> {
  await updateDocument(storage, id, (doc) => ({ ...checkDataArray(doc, id), status: 'complete' }), signal ? { signal } : {});
}

/**
 * Reads and checks a Data Array document: 400 when it is something else or its data cannot be read by it; descriptive
 * fields of the wrong type are made safe (see `checkDataArray`).
 */
export async function getDataArray(storage: Storage, id: string, { signal }: CallOptions = {}): Promise<DataArrayDocument> {
  return checkDataArray(await storage.get(id, signal ? { signal } : {}), id);
}

/**
 * Appends samples (interleaved: channel values of sample 0, then of sample 1…) of the array's dtype; extends the
 * pyramid with the blocks completed. Appends to one array must not run concurrently (serialise them).
 * `handOver`: the caller gives the samples' buffer up (a whole buffer), so the storage may take it without a copy.
 * Resolves to the new sample count.
 */
export async function appendSamples(storage: Storage, id: string, samples: NumericArray, { signal, handOver }: CallOptions & { handOver?: boolean } = {}): Promise<number> {
  const options = signal ? { signal } : {};
  const doc = await getDataArray(storage, id, options);
  const channels = channelCount(doc);
  const Typed = typedArrayFor(doc.dtype);
  if (!(samples instanceof Typed)) throw new StorageError(400, `Samples must be a ${Typed.name} for a ${doc.dtype} array.`);
  if (samples.length % channels !== 0) {
    throw new StorageError(400, `${samples.length} values do not make whole samples of ${channels} channels.`);
  }
  const before = sampleCount(doc);
  const added = samples.length / channels;
  if (added === 0) return before;
  const elementBytes = bytesPerElement(doc.dtype);
  // One listing serves every trim check below (the data and each pyramid level).
  const attachments = await storage.allAttachments(id, options);
  await trimAttachment(storage, id, DATA_ATTACHMENT, attachments[DATA_ATTACHMENT], before * channels * elementBytes, options);
  // The pyramid's new blocks are computed before the data goes (a handed-over buffer is gone once it is appended), then
  // the data and every level are written at once: each write waits on the disk and a transaction of its own. Any order
  // is safe: until the document says the array is longer, readers stop at its old length and the next append trims
  // what lies beyond.
  const levels = await newPyramidBlocks(storage, doc, id, before, samples, options);
  await Promise.all([
    storage.appendAttachment(id, DATA_ATTACHMENT, samples, { contentType: 'application/octet-stream', ...options, ...(handOver ? { handOver } : {}) }),
    ...levels.map(async (fresh, level) => {
      const name = pyramidAttachment(level);
      const width = channels * SUMMARY_FIELDS * fresh.BYTES_PER_ELEMENT;
      await trimAttachment(storage, id, name, attachments[name], blockCount(before, doc.pyramid.base, level) * width, options);
      await storage.appendAttachment(id, name, fresh, { contentType: 'application/octet-stream', ...options });
    }),
  ]);
  const after = before + added;
  // The document is written last: until then, readers see the old length (the extra bytes are trimmed next time).
  // Only the length changes: other fields written meanwhile (a title, a processing step) are kept.
  const shape = channels === 1 ? [after] : [after, channels];
  await updateDocument(storage, id, (current) => ({ ...current, shape, modification_date: new Date().toISOString() }), options);
  return after;
}

/**
 * Samples [start, end) as a view of shape [samples, channels] over a fresh typed array. `end` beyond the
 * array is clamped; start > end or negative → 400.
 */
export async function readRange(
  storage: Storage,
  doc: DataArrayDocument,
  id: string,
  start: number,
  end: number,
  { signal }: CallOptions = {},
): Promise<SampleRows> {
  const count = sampleCount(doc);
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || start > end) {
    throw new StorageError(400, `A sample range needs whole numbers 0 ≤ start ≤ end, not [${start}, ${end}).`, { start, end });
  }
  const from = Math.min(start, count);
  const to = Math.min(end, count);
  const channels = channelCount(doc);
  const rowBytes = channels * bytesPerElement(doc.dtype);
  const buffer =
    to > from
      ? await storage.getAttachment(id, DATA_ATTACHMENT, { start: from * rowBytes, end: to * rowBytes, format: 'arraybuffer', ...(signal ? { signal } : {}) })
      : new ArrayBuffer(0);
  checkArrived(buffer, (to - from) * rowBytes, id, DATA_ATTACHMENT);
  return new SampleRows(viewAs(doc.dtype, buffer), to - from, channels);
}

/**
 * Walks the array chunk by chunk ("BigFile reader") so an operation never holds the whole array: yields
 * `{start, samples}` with `samples` a view [rows, channels] of at most `chunkSamples` rows (default 2^18).
 */
export async function* iterateChunks(
  storage: Storage,
  id: string,
  { chunkSamples = 1 << 18, start = 0, end, signal }: CallOptions & { chunkSamples?: number; start?: number; end?: number } = {},
): AsyncGenerator<{ start: number; samples: SampleRows }> {
  const doc = await getDataArray(storage, id, signal ? { signal } : {});
  const last = Math.min(end ?? sampleCount(doc), sampleCount(doc));
  for (let from = start; from < last; from += chunkSamples) {
    const samples = await readRange(storage, doc, id, from, Math.min(from + chunkSamples, last), signal ? { signal } : {});
    yield { start: from, samples };
  }
}

/** Reads pyramid summaries of `level`, blocks [first, last), as the array's summary dtype. */
export async function readSummaries(
  storage: Storage,
  doc: DataArrayDocument,
  id: string,
  level: number,
  first: number,
  last: number,
  { signal }: CallOptions = {},
): Promise<Float32Array | Float64Array> {
  const width = channelCount(doc) * SUMMARY_FIELDS * bytesPerElement(doc.pyramid.dtype);
  if (last <= first) return new (doc.pyramid.dtype === 'float32' ? Float32Array : Float64Array)(0);
  const buffer = await storage.getAttachment(id, pyramidAttachment(level), {
    start: first * width,
    end: last * width,
    format: 'arraybuffer',
    ...(signal ? { signal } : {}),
  });
  checkArrived(buffer, (last - first) * width, id, pyramidAttachment(level));
  return viewAs(doc.pyramid.dtype, buffer) as Float32Array | Float64Array;
}

/**
 * A stretch the document describes but the storage holds only in part is not here yet (an array whose pieces are still
 * arriving by sync): a 404 naming the attachment, which the processing chain waits on and the pages' storage reads
 * from the sync server instead — never a short array shown as the whole.
 */
function checkArrived(buffer: ArrayBuffer, expected: number, id: string, name: string): void {
  if (buffer.byteLength >= expected) return;
  throw new StorageError(
    404,
    `The data of “${id}” is still arriving: ${buffer.byteLength} of the ${expected} bytes asked are on this device. Connect to read it from the sync server, or wait until the sync has brought it.`,
    { id, name, arrived: buffer.byteLength, expected },
  );
}

/**
 * The pyramid blocks completed by appending `samples` after `before` samples, level by level (level 0 first, until a
 * level gains none). Each level is built from the blocks just made for the level below, kept in memory; only an
 * unpaired block left by an earlier append is read back.
 */
async function newPyramidBlocks(
  storage: Storage,
  doc: DataArrayDocument,
  id: string,
  before: number,
  samples: NumericArray,
  options: CallOptions,
): Promise<Array<Float32Array | Float64Array>> {
  const channels = channelCount(doc);
  const { base } = doc.pyramid;
  const Summary = doc.pyramid.dtype === 'float32' ? Float32Array : Float64Array;
  const width = channels * SUMMARY_FIELDS;
  // Level 0: the samples of the unfinished block before this append, then the new ones.
  const blockStart = Math.floor(before / base) * base;
  const combined = blockStart === before ? samples : await afterPending(storage, doc, id, blockStart, before, samples, options);
  const levels: Array<Float32Array | Float64Array> = [];
  let fresh: Float32Array | Float64Array = new Summary(Math.floor(combined.length / channels / base) * width);
  summarizeSamples(combined, channels, base, fresh);
  for (let level = 0; fresh.length > 0; level += 1) {
    levels.push(fresh);
    const existing = blockCount(before, base, level);
    // The next level pairs blocks: an unpaired block of this level left from earlier appends goes first.
    const lower = existing % 2 === 1 ? joinSummaries(await readSummaries(storage, doc, id, level, existing - 1, existing, options), fresh) : fresh;
    const next = new Summary(Math.floor(lower.length / width / 2) * width);
    mergeLevel(lower, channels, next);
    fresh = next;
  }
  return levels;
}

/** The samples [blockStart, before) already stored, followed by `samples`. */
async function afterPending(
  storage: Storage,
  doc: DataArrayDocument,
  id: string,
  blockStart: number,
  before: number,
  samples: NumericArray,
  options: CallOptions,
): Promise<NumericArray> {
  const pending = await readRange(storage, doc, id, blockStart, before, options);
  const combined = new (typedArrayFor(doc.dtype))(pending.data.length + samples.length);
  combined.set(pending.data);
  combined.set(samples, pending.data.length);
  return combined;
}

function joinSummaries(first: Float32Array | Float64Array, second: Float32Array | Float64Array): Float32Array | Float64Array {
  const joined = new (second.constructor as Float32ArrayConstructor | Float64ArrayConstructor)(first.length + second.length);
  joined.set(first);
  joined.set(second, first.length);
  return joined;
}

/**
 * Cuts an attachment back to `length` bytes when it is longer — what an append interrupted before its document was
 * written leaves behind. Missing attachments are fine when `length` is 0.
 */
async function trimAttachment(storage: Storage, id: string, name: string, info: AttachmentInfo | undefined, length: number, options: CallOptions): Promise<void> {
  if (!info) {
    if (length > 0) throw new StorageError(409, `“${id}” lacks its ${name} data: the array is damaged; import it again.`, { id, name });
    return;
  }
  if (info.length === length) return;
  if (info.length < length) throw new StorageError(409, `“${id}” has less ${name} data than its document says: the array is damaged.`, { id, name });
  const kept = await storage.getAttachment(id, name, { start: 0, end: length, ...options });
  await storage.putAttachment(id, name, kept, { contentType: info.contentType, ...options });
}

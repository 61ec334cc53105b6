import { IngestError } from './ingest-error';
import { MAX_CHANNELS } from './channel-limit';

export type RawDType = 'int8' | 'uint8' | 'int16' | 'uint16' | 'int32' | 'uint32' | 'float32' | 'float64';

/** What a headerless file of samples cannot say about itself: the user declares it, and the stream keeps it. */
export interface RawFormat {
  dtype: RawDType;
  channels: number;
  sampleRate?: number;
  littleEndian: boolean;
}

type TypedArrayClass =
  | Int8ArrayConstructor
  | Uint8ArrayConstructor
  | Int16ArrayConstructor
  | Uint16ArrayConstructor
  | Int32ArrayConstructor
  | Uint32ArrayConstructor
  | Float32ArrayConstructor
  | Float64ArrayConstructor;

/** The sample types in the order the Import page offers them, with their typed array (its BYTES_PER_ELEMENT is the width). */
export const RAW_DTYPES: Record<RawDType, TypedArrayClass> = {
  int8: Int8Array,
  uint8: Uint8Array,
  int16: Int16Array,
  uint16: Uint16Array,
  int32: Int32Array,
  uint32: Uint32Array,
  float32: Float32Array,
  float64: Float64Array,
};


/** File names that are headerless samples (more may be: any name the other decoders do not know). */
export const RAW_FILE_NAME = /\.(raw|bin|dat|f32|pcm)$/i;

const NATIVE_LITTLE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Checks a declared or stored raw format (e.g. the `raw_format` of a synced Data Stream) and returns a clean copy;
 * anything wrong is an IngestError naming `fileName`.
 */
export function parseRawFormat(value: unknown, fileName = 'the raw format'): RawFormat {
  if (typeof value !== 'object' || value === null) throw new IngestError(fileName, 'no raw format is declared (sample type, channels, byte order).');
  const { dtype, channels, sampleRate, littleEndian } = value as Record<string, unknown>;
  if (typeof dtype !== 'string' || !Object.hasOwn(RAW_DTYPES, dtype)) {
    throw new IngestError(fileName, `the sample type “${String(dtype)}” is unknown: use one of ${Object.keys(RAW_DTYPES).join(', ')}.`);
  }
  if (typeof channels !== 'number' || !Number.isInteger(channels) || channels < 1 || channels > MAX_CHANNELS) {
    throw new IngestError(fileName, `the channel count must be a whole number from 1 to ${MAX_CHANNELS}, not ${String(channels)}.`);
  }
  if (sampleRate !== undefined && (typeof sampleRate !== 'number' || !Number.isFinite(sampleRate) || sampleRate <= 0)) {
    throw new IngestError(fileName, `the sample rate must be a number of Hz above 0 (or left out), not ${String(sampleRate)}.`);
  }
  if (typeof littleEndian !== 'boolean') throw new IngestError(fileName, 'the byte order must be declared (little- or big-endian).');
  return { dtype: dtype as RawDType, channels, ...(sampleRate !== undefined ? { sampleRate } : {}), littleEndian };
}

/**
 * Whether a raw file's bytes are, as they are, the samples of the one Data Array it decodes to (one channel of
 * little-endian float32, as arrays keep them): the import then keeps the bytes once, in the array, and the stream
 * refers to them (`data_in_array`) instead of holding a copy.
 */
export function fileBytesAreSamples(format: RawFormat): boolean {
  return format.dtype === 'float32' && format.channels === 1 && format.littleEndian && NATIVE_LITTLE;
}

/** Bytes of one frame: a sample of every channel. */
export function rawFrameBytes(format: RawFormat): number {
  return RAW_DTYPES[format.dtype].BYTES_PER_ELEMENT * format.channels;
}

/**
 * Refuses a file of `size` bytes that is empty or not a whole number of frames — known before reading when the size
 * is (a File), so a ragged file is refused before anything is written.
 */
export function checkRawSize(fileName: string, format: RawFormat, size: number): void {
  if (size === 0) throw new IngestError(fileName, 'the file is empty.');
  const frameBytes = rawFrameBytes(format);
  const left = size % frameBytes;
  if (left !== 0) {
    throw new IngestError(
      fileName,
      `${left} byte${left === 1 ? ' is' : 's are'} left over after the last whole frame: a frame of ${format.channels} × ${format.dtype} is ${frameBytes} bytes, ` +
        'so the file is cut short or its format is not the one declared.',
      { offset: size - left },
    );
  }
}

/**
 * Decodes headerless interleaved samples of a declared type, channel count and byte order, fed in pieces that may split
 * a sample or a frame anywhere. Values come out interleaved as float32 (integers keep their values, unscaled).
 * In the machine's byte order the bytes are read through a typed-array view (copied first only when a piece starts at
 * an offset the view cannot use); only the other byte order goes through a DataView.
 */
export class RawDecoder {
  readonly raw: RawFormat;
  readonly format: { channels: number; sampleRate?: number };
  private readonly frameBytes: number;
  private readonly width: number;
  /** The start of a frame split between pieces (always shorter than a frame). */
  private carry = new Uint8Array(0);
  private offset = 0;
  /** Whether the file's samples are already float32 as this machine lays them out (then decoding is a view). */
  private readonly viewable: boolean;

  constructor(
    private readonly file: string,
    format: RawFormat,
  ) {
    this.raw = parseRawFormat(format, file);
    this.format = { channels: this.raw.channels, ...(this.raw.sampleRate !== undefined ? { sampleRate: this.raw.sampleRate } : {}) };
    this.width = RAW_DTYPES[this.raw.dtype].BYTES_PER_ELEMENT;
    this.frameBytes = rawFrameBytes(this.raw);
    this.viewable = this.raw.dtype === 'float32' && this.raw.littleEndian === NATIVE_LITTLE;
  }

  /**
   * Decodes the whole frames now complete; the start of a split frame waits for the next piece. Float32 samples in the
   * machine's byte order come back as a view of `bytes` (no copy) when the piece holds whole, aligned frames: the
   * caller must not change `bytes` afterwards.
   */
  push(bytes: Uint8Array): Float32Array {
    // Nothing to add (a reader may hand out empty pieces): the split frame carried over must stay as it is.
    if (bytes.length === 0) return new Float32Array(0);
    this.offset += bytes.length;
    if (this.viewable && this.carry.length === 0 && bytes.length % this.frameBytes === 0 && bytes.byteOffset % 4 === 0) {
      return new Float32Array(bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.length / 4);
    }
    const head = this.carry.length > 0 ? Math.min(this.frameBytes - this.carry.length, bytes.length) : 0;
    const frames = Math.floor((this.carry.length + bytes.length) / this.frameBytes);
    const out = new Float32Array(frames * this.raw.channels);
    let from = 0;
    let at = 0;
    if (head > 0) {
      // Complete the split frame in a small buffer, so the rest of the piece is read where it lies (no big copy).
      const joined = new Uint8Array(this.carry.length + head);
      joined.set(this.carry);
      joined.set(bytes.subarray(0, head), this.carry.length);
      from = head;
      if (joined.length < this.frameBytes) {
        this.carry = joined;
        return out;
      }
      this.convert(joined, out.subarray(0, this.raw.channels));
      at = this.raw.channels;
    }
    const whole = Math.floor((bytes.length - from) / this.frameBytes) * this.frameBytes;
    this.convert(bytes.subarray(from, from + whole), out.subarray(at));
    this.carry = bytes.slice(from + whole);
    return out;
  }

  /** An empty file, or one ending inside a frame, is an error saying where and how many bytes are left over. */
  finish(): Float32Array {
    checkRawSize(this.file, this.raw, this.offset);
    return new Float32Array(0);
  }

  /** `bytes` (whole samples) → `out`, one value per sample. */
  private convert(bytes: Uint8Array, out: Float32Array): void {
    if (out.length === 0) return;
    const { dtype, littleEndian } = this.raw;
    const width = this.width;
    if (width === 1 || littleEndian === NATIVE_LITTLE) {
      const aligned = bytes.byteOffset % width === 0 ? bytes : bytes.slice();
      out.set(new RAW_DTYPES[dtype](aligned.buffer as ArrayBuffer, aligned.byteOffset, out.length)); // a memcpy or a native conversion loop
      return;
    }
    readSwapped(new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), dtype, littleEndian, out);
  }
}

/** The other byte order: one tight loop per type, so each stays monomorphic for the JIT. */
function readSwapped(view: DataView, dtype: RawDType, little: boolean, out: Float32Array): void {
  const n = out.length;
  switch (dtype) {
    case 'int16':
      for (let i = 0; i < n; i += 1) out[i] = view.getInt16(i * 2, little);
      break;
    case 'uint16':
      for (let i = 0; i < n; i += 1) out[i] = view.getUint16(i * 2, little);
      break;
    case 'int32':
      for (let i = 0; i < n; i += 1) out[i] = view.getInt32(i * 4, little);
      break;
    case 'uint32':
      for (let i = 0; i < n; i += 1) out[i] = view.getUint32(i * 4, little);
      break;
    case 'float32':
      for (let i = 0; i < n; i += 1) out[i] = view.getFloat32(i * 4, little);
      break;
    case 'float64':
      for (let i = 0; i < n; i += 1) out[i] = view.getFloat64(i * 8, little);
      break;
    default:
      throw new Error(`${dtype} has no byte order`); // int8/uint8 take the typed-array path
  }
}

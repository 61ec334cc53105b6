import { IngestError } from './ingest-error';
import { concatBytes } from './concat-bytes';
import { ByteQueue } from './byte-queue';
import { MAX_CHANNELS } from './channel-limit';

export interface WavFormat {
  channels: number;
  sampleRate: number;
  encoding: 'pcm' | 'float';
  bitsPerSample: number;
  /** Bytes of sample data the header announces (undefined when it says "to the end"). */
  dataBytes: number | undefined;
}

const PCM = 1;
const FLOAT = 3;
const EXTENSIBLE = 0xfffe;
/** The format chunk is 16 to 40 bytes; a few KiB of extension is generous, and it bounds what is held before the samples. */
const MAX_FORMAT_CHUNK = 65536;

/**
 * Decodes a WAV file fed in pieces of any size (from Blob.stream()), so a file larger than memory is imported chunk by
 * chunk: PCM 8/16/24/32-bit integer, 32/64-bit float, any number of channels, WAVE_FORMAT_EXTENSIBLE. Samples come out
 * interleaved as float32 (integers scaled to −1…1). Problems are IngestError naming the file and the byte offset.
 */
export class WavDecoder {
  format: WavFormat | undefined;
  /** Header bytes not parsed yet (the RIFF header, a chunk header, the format chunk): only what the next step needs. */
  private readonly header = new ByteQueue();
  /** Bytes of the file consumed so far (for error offsets). */
  private offset = 0;
  /** Bytes of a chunk that is not read (LIST, bext…) still to pass over: skipped as they come, never kept. */
  private skipLeft = 0;
  private riffRead = false;
  private dataLeft: number | undefined;
  private carry: Uint8Array = new Uint8Array(0);
  private inData = false;
  private frames = 0;

  constructor(private readonly file: string) {}

  /** Decodes what it can of `bytes`; returns the whole frames decoded (possibly none). */
  push(bytes: Uint8Array): Float32Array {
    if (this.inData) return this.decodeData(bytes);
    this.header.push(bytes);
    if (!this.parseHeader()) return new Float32Array(0);
    return this.decodeData(this.header.takeAll());
  }

  /** Checks the end of the file: a header without data, data shorter than announced, or no samples at all is an error. */
  finish(): Float32Array {
    if (!this.inData) {
      const size = this.offset + this.header.length;
      if (size === 0) throw new IngestError(this.file, 'the file is empty.');
      throw new IngestError(this.file, this.format ? 'the file ends before its sample data.' : 'the file ends inside its header: it is truncated or not a WAV file.', { offset: size });
    }
    if (this.dataLeft !== undefined && this.dataLeft > 0) {
      throw new IngestError(this.file, `the file is truncated: ${this.dataLeft} bytes of samples announced by the header are missing.`, { offset: this.offset });
    }
    if (this.carry.length > 0) throw new IngestError(this.file, 'the sample data ends in the middle of a sample frame.', { offset: this.offset });
    if (this.frames === 0) throw new IngestError(this.file, 'the file holds no samples: its data chunk is empty.', { offset: this.offset });
    return new Float32Array(0);
  }

  /** Takes what the header bytes queued allow, up to the data chunk; true once the samples start (the queue then holds the first of them). */
  private parseHeader(): boolean {
    if (!this.riffRead) {
      if (this.header.length < 12) return false;
      const riff = this.header.take(12);
      if (text(riff, 0) !== 'RIFF' || text(riff, 8) !== 'WAVE') {
        throw new IngestError(this.file, 'this is not a WAV file (it does not start with a RIFF/WAVE header).', { offset: 0 });
      }
      this.riffRead = true;
      this.offset = 12;
    }
    for (;;) {
      if (this.skipLeft > 0) {
        const skipped = Math.min(this.skipLeft, this.header.length);
        this.header.drop(skipped);
        this.skipLeft -= skipped;
        this.offset += skipped;
        if (this.skipLeft > 0) return false;
      }
      if (this.header.length < 8) return false;
      const at = this.offset;
      const head = this.header.peek(8);
      const id = text(head, 0);
      const size = new DataView(head.buffer, head.byteOffset, 8).getUint32(4, true);
      if (id === 'data') {
        this.header.drop(8);
        if (!this.format) throw new IngestError(this.file, 'the sample data comes before the format chunk ("fmt ").', { offset: at });
        this.format.dataBytes = size === 0 || size === 0xffffffff ? undefined : size;
        this.dataLeft = this.format.dataBytes;
        this.inData = true;
        this.offset = at + 8;
        return true;
      }
      const padded = size + (size % 2); // chunks are padded to even sizes
      if (id !== 'fmt ') {
        this.header.drop(8);
        this.offset = at + 8;
        this.skipLeft = padded;
        continue;
      }
      if (size > MAX_FORMAT_CHUNK) throw new IngestError(this.file, `the format chunk says it is ${size} bytes; a WAV format chunk is at most ${MAX_FORMAT_CHUNK}.`, { offset: at + 4 });
      if (this.header.length < 8 + padded) return false; // wait for the whole chunk
      this.header.drop(8);
      const body = this.header.take(padded);
      this.format = this.readFormat(new DataView(body.buffer, body.byteOffset, size), at + 8);
      this.offset = at + 8 + padded;
    }
  }

  /** The format chunk's body (`chunk`), which starts at byte `at` of the file. */
  private readFormat(chunk: DataView, at: number): WavFormat {
    const size = chunk.byteLength;
    if (size < 16) throw new IngestError(this.file, 'the format chunk is too short.', { offset: at });
    let code = chunk.getUint16(0, true);
    const channels = chunk.getUint16(2, true);
    const sampleRate = chunk.getUint32(4, true);
    const bitsPerSample = chunk.getUint16(14, true);
    if (code === EXTENSIBLE) {
      if (size < 40) throw new IngestError(this.file, 'the extensible format chunk is too short.', { offset: at });
      code = chunk.getUint16(24, true); // the sub-format GUID starts with the format code
    }
    if (code !== PCM && code !== FLOAT) throw new IngestError(this.file, `WAV format code ${code} is not supported: use PCM or IEEE float.`, { offset: at });
    const encoding = code === PCM ? 'pcm' : 'float';
    const supported = encoding === 'pcm' ? [8, 16, 24, 32] : [32, 64];
    if (!supported.includes(bitsPerSample)) {
      throw new IngestError(this.file, `${bitsPerSample}-bit ${encoding === 'pcm' ? 'integer' : 'float'} samples are not supported (use ${supported.join(', ')}).`, { offset: at + 14 });
    }
    if (channels < 1) throw new IngestError(this.file, 'the header says there are no channels.', { offset: at + 2 });
    if (channels > MAX_CHANNELS) throw new IngestError(this.file, `the header says there are ${channels} channels; at most ${MAX_CHANNELS} can be imported.`, { offset: at + 2 });
    if (sampleRate < 1) throw new IngestError(this.file, 'the header says the sampling rate is 0.', { offset: at + 4 });
    return { channels, sampleRate, encoding, bitsPerSample, dataBytes: undefined };
  }

  private decodeData(incoming: Uint8Array): Float32Array {
    const format = this.format as WavFormat;
    let bytes = incoming;
    if (this.dataLeft !== undefined) {
      bytes = bytes.subarray(0, Math.min(bytes.length, this.dataLeft)); // trailing chunks (LIST…) are not samples
      this.dataLeft -= bytes.length;
    }
    this.offset += bytes.length;
    const all = concatBytes(this.carry, bytes);
    const width = format.bitsPerSample / 8;
    const frameBytes = width * format.channels;
    const frames = Math.floor(all.length / frameBytes);
    this.carry = all.slice(frames * frameBytes);
    const view = new DataView(all.buffer, all.byteOffset, frames * frameBytes);
    const out = new Float32Array(frames * format.channels);
    for (let index = 0; index < out.length; index += 1) out[index] = readSample(view, index * width, format);
    this.frames += frames;
    return out;
  }
}

function readSample(view: DataView, at: number, { encoding, bitsPerSample }: WavFormat): number {
  if (encoding === 'float') return bitsPerSample === 32 ? view.getFloat32(at, true) : view.getFloat64(at, true);
  switch (bitsPerSample) {
    case 8:
      return (view.getUint8(at) - 128) / 128; // 8-bit WAV is unsigned
    case 16:
      return view.getInt16(at, true) / 32768;
    case 24: {
      const value = view.getUint8(at) | (view.getUint8(at + 1) << 8) | (view.getInt8(at + 2) << 16);
      return value / 8388608;
    }
    default:
      return view.getInt32(at, true) / 2147483648;
  }
}

function text(bytes: Uint8Array, at: number): string {
  return String.fromCharCode(bytes[at]!, bytes[at + 1]!, bytes[at + 2]!, bytes[at + 3]!);
}

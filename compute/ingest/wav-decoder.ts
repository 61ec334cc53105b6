import { IngestError } from './ingest-error';
import { concatBytes } from './concat-bytes';

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

/**
 * Decodes a WAV file fed in pieces of any size (from Blob.stream()), so a file larger than memory is imported chunk by
 * chunk: PCM 8/16/24/32-bit integer, 32/64-bit float, any number of channels, WAVE_FORMAT_EXTENSIBLE. Samples come out
 * interleaved as float32 (integers scaled to −1…1). Problems are IngestError naming the file and the byte offset.
 */
export class WavDecoder {
  format: WavFormat | undefined;
  private header: Uint8Array = new Uint8Array(0);
  /** Bytes of the file consumed so far (for error offsets). */
  private offset = 0;
  private dataLeft: number | undefined;
  private carry: Uint8Array = new Uint8Array(0);
  private inData = false;

  constructor(private readonly file: string) {}

  /** Decodes what it can of `bytes`; returns the whole frames decoded (possibly none). */
  push(bytes: Uint8Array): Float32Array {
    if (!this.inData) {
      this.header = concatBytes(this.header, bytes);
      const rest = this.parseHeader();
      if (rest === undefined) return new Float32Array(0);
      return this.decodeData(rest);
    }
    return this.decodeData(bytes);
  }

  /** Checks the end of the file: a header without data, or data shorter than announced, is an error. */
  finish(): Float32Array {
    if (!this.inData) {
      if (this.offset === 0 && this.header.length === 0) throw new IngestError(this.file, 'the file is empty.');
      throw new IngestError(this.file, this.format ? 'the file ends before its sample data.' : 'the file ends inside its header: it is truncated or not a WAV file.', { offset: this.offset + this.header.length });
    }
    if (this.dataLeft !== undefined && this.dataLeft > 0) {
      throw new IngestError(this.file, `the file is truncated: ${this.dataLeft} bytes of samples announced by the header are missing.`, { offset: this.offset });
    }
    if (this.carry.length > 0) throw new IngestError(this.file, 'the sample data ends in the middle of a sample frame.', { offset: this.offset });
    return new Float32Array(0);
  }

  /** Parses RIFF/WAVE chunks until the data chunk; returns the bytes after its start, or undefined if more are needed. */
  private parseHeader(): Uint8Array | undefined {
    const bytes = this.header;
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (bytes.length < 12) return undefined;
    if (text(bytes, 0) !== 'RIFF' || text(bytes, 8) !== 'WAVE') {
      throw new IngestError(this.file, 'this is not a WAV file (it does not start with a RIFF/WAVE header).', { offset: 0 });
    }
    let at = 12;
    while (at + 8 <= bytes.length) {
      const id = text(bytes, at);
      const size = view.getUint32(at + 4, true);
      if (id === 'data') {
        if (!this.format) throw new IngestError(this.file, 'the sample data comes before the format chunk ("fmt ").', { offset: at });
        this.format.dataBytes = size === 0 || size === 0xffffffff ? undefined : size;
        this.dataLeft = this.format.dataBytes;
        this.inData = true;
        this.offset = at + 8;
        const rest = bytes.subarray(at + 8);
        this.header = new Uint8Array(0);
        return rest;
      }
      if (at + 8 + size > bytes.length) return undefined; // wait for the whole chunk
      if (id === 'fmt ') this.format = this.readFormat(view, at + 8, size);
      at += 8 + size + (size % 2); // chunks are padded to even sizes
    }
    return undefined;
  }

  private readFormat(view: DataView, at: number, size: number): WavFormat {
    if (size < 16) throw new IngestError(this.file, 'the format chunk is too short.', { offset: at });
    let code = view.getUint16(at, true);
    const channels = view.getUint16(at + 2, true);
    const sampleRate = view.getUint32(at + 4, true);
    const bitsPerSample = view.getUint16(at + 14, true);
    if (code === EXTENSIBLE) {
      if (size < 40) throw new IngestError(this.file, 'the extensible format chunk is too short.', { offset: at });
      code = view.getUint16(at + 24, true); // the sub-format GUID starts with the format code
    }
    if (code !== PCM && code !== FLOAT) throw new IngestError(this.file, `WAV format code ${code} is not supported: use PCM or IEEE float.`, { offset: at });
    const encoding = code === PCM ? 'pcm' : 'float';
    const supported = encoding === 'pcm' ? [8, 16, 24, 32] : [32, 64];
    if (!supported.includes(bitsPerSample)) {
      throw new IngestError(this.file, `${bitsPerSample}-bit ${encoding === 'pcm' ? 'integer' : 'float'} samples are not supported (use ${supported.join(', ')}).`, { offset: at + 14 });
    }
    if (channels < 1) throw new IngestError(this.file, 'the header says there are no channels.', { offset: at + 2 });
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

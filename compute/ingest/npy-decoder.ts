import { IngestError } from './ingest-error';
import { concatBytes } from './concat-bytes';
import { ByteQueue } from './byte-queue';
import { MAX_CHANNELS } from './channel-limit';

/** Header bytes accepted (NumPy itself refuses more than 10,000 unless told otherwise): bounds what is held before the values. */
const MAX_HEADER_BYTES = 65536;

const TYPES: Record<string, { bytes: number; read: (view: DataView, at: number, little: boolean) => number }> = {
  f4: { bytes: 4, read: (view, at, little) => view.getFloat32(at, little) },
  f8: { bytes: 8, read: (view, at, little) => view.getFloat64(at, little) },
  i1: { bytes: 1, read: (view, at) => view.getInt8(at) },
  u1: { bytes: 1, read: (view, at) => view.getUint8(at) },
  i2: { bytes: 2, read: (view, at, little) => view.getInt16(at, little) },
  u2: { bytes: 2, read: (view, at, little) => view.getUint16(at, little) },
  i4: { bytes: 4, read: (view, at, little) => view.getInt32(at, little) },
  u4: { bytes: 4, read: (view, at, little) => view.getUint32(at, little) },
};

/**
 * Decodes a NumPy .npy file fed in pieces: a 1-D array (one channel) or a C-ordered 2-D array of samples × channels,
 * of float32/64 or 8/16/32-bit integers in either byte order. Values come out interleaved as float32 (integers keep
 * their values). Problems are IngestError naming the file and the byte offset.
 */
export class NpyDecoder {
  format: { channels: number; samples: number } | undefined;
  private readonly header = new ByteQueue();
  private carry: Uint8Array = new Uint8Array(0);
  private type: { bytes: number; read: (view: DataView, at: number, little: boolean) => number; little: boolean } | undefined;
  private offset = 0;
  private decoded = 0;

  constructor(private readonly file: string) {}

  push(bytes: Uint8Array): Float32Array {
    if (this.type) return this.decode(bytes);
    this.header.push(bytes);
    if (!this.parseHeader()) return new Float32Array(0);
    return this.decode(this.header.takeAll());
  }

  finish(): Float32Array {
    if (!this.type) throw new IngestError(this.file, this.header.length === 0 ? 'the file is empty.' : 'the file ends inside its .npy header.', { offset: this.header.length });
    const expected = this.format!.samples * this.format!.channels;
    if (this.decoded < expected || this.carry.length > 0) {
      throw new IngestError(this.file, `the file is truncated: ${expected - this.decoded} values announced by the header are missing.`, { offset: this.offset });
    }
    return new Float32Array(0);
  }

  /** Reads the header once all of it is queued; true then (the queue holds the first values). */
  private parseHeader(): boolean {
    const queued = this.header;
    if (queued.length < 10) return false;
    const prefix = queued.peek(12);
    if (prefix[0] !== 0x93 || String.fromCharCode(...prefix.subarray(1, 6)) !== 'NUMPY') {
      throw new IngestError(this.file, 'this is not a .npy file (no \\x93NUMPY signature).', { offset: 0 });
    }
    const major = prefix[6]!;
    if (major < 1 || major > 3) throw new IngestError(this.file, `.npy format version ${major} is not supported (versions 1 to 3 are).`, { offset: 6 });
    const lengthBytes = major === 1 ? 2 : 4;
    if (prefix.length < 8 + lengthBytes) return false;
    const view = new DataView(prefix.buffer, prefix.byteOffset, prefix.byteLength);
    const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
    const start = 8 + lengthBytes;
    if (headerLength > MAX_HEADER_BYTES) {
      throw new IngestError(this.file, `the .npy header says it is ${headerLength} bytes; at most ${MAX_HEADER_BYTES} are accepted, so this is not a .npy file of samples.`, { offset: 8 });
    }
    if (queued.length < start + headerLength) return false;
    queued.drop(start);
    const text = new TextDecoder().decode(queued.take(headerLength));
    const descr = /'descr':\s*'([<>|=])([a-z]\d)'/.exec(text);
    const fortran = /'fortran_order':\s*(True|False)/.exec(text)?.[1] === 'True';
    const shapeText = /'shape':\s*\(([^)]*)\)/.exec(text)?.[1];
    if (!descr || shapeText === undefined) throw new IngestError(this.file, 'the .npy header cannot be read.', { offset: start });
    const type = TYPES[descr[2]!];
    if (!type) throw new IngestError(this.file, `values of type ${descr[2]} are not supported (use float32/64 or 8/16/32-bit integers).`, { offset: start });
    const shape = this.readShape(shapeText, start);
    if (fortran && shape.length === 2 && shape[1]! > 1) throw new IngestError(this.file, 'Fortran-ordered 2-D arrays are not supported: save it with C order.', { offset: start });
    this.type = { ...type, little: descr[1] !== '>' };
    this.format = { samples: shape[0]!, channels: shape[1] ?? 1 };
    this.offset = start + headerLength;
    return true;
  }

  /** The shape's dimensions: 1 or 2 whole numbers, holding at least one value, with at most MAX_CHANNELS channels. */
  private readShape(text: string, offset: number): number[] {
    const parts = text.split(',').map((part) => part.trim()).filter(Boolean);
    const shown = `(${text.trim()})`;
    if (!parts.every((part) => /^\d{1,16}$/.test(part))) {
      throw new IngestError(this.file, `the .npy header's shape ${shown.slice(0, 60)} is not a list of whole numbers.`, { offset });
    }
    const shape = parts.map(Number);
    if (shape.length < 1 || shape.length > 2) throw new IngestError(this.file, `a ${shape.length}-D array cannot be imported: use 1-D (samples) or 2-D (samples × channels).`, { offset });
    if (shape.includes(0)) throw new IngestError(this.file, `the array is empty (shape ${shown}): there are no values to import.`, { offset });
    if ((shape[1] ?? 1) > MAX_CHANNELS) throw new IngestError(this.file, `the array has ${shape[1]} columns (channels); at most ${MAX_CHANNELS} can be imported.`, { offset });
    if (shape[0]! * (shape[1] ?? 1) > Number.MAX_SAFE_INTEGER) throw new IngestError(this.file, `the shape ${shown} announces more values than any file can hold.`, { offset });
    return shape;
  }

  private decode(incoming: Uint8Array): Float32Array {
    const type = this.type!;
    const all = concatBytes(this.carry, incoming);
    const remaining = this.format!.samples * this.format!.channels - this.decoded;
    const count = Math.min(Math.floor(all.length / type.bytes), remaining);
    this.carry = all.slice(count * type.bytes, remaining > count ? undefined : count * type.bytes);
    const view = new DataView(all.buffer, all.byteOffset, count * type.bytes);
    const out = new Float32Array(count);
    for (let index = 0; index < count; index += 1) out[index] = type.read(view, index * type.bytes, type.little);
    this.decoded += count;
    this.offset += incoming.length;
    return out;
  }
}

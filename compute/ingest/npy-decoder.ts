import { IngestError } from './ingest-error';
import { concatBytes } from './concat-bytes';

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
  private header: Uint8Array = new Uint8Array(0);
  private carry: Uint8Array = new Uint8Array(0);
  private type: { bytes: number; read: (view: DataView, at: number, little: boolean) => number; little: boolean } | undefined;
  private offset = 0;
  private decoded = 0;

  constructor(private readonly file: string) {}

  push(bytes: Uint8Array): Float32Array {
    if (!this.type) {
      this.header = concatBytes(this.header, bytes);
      const rest = this.parseHeader();
      if (!rest) return new Float32Array(0);
      return this.decode(rest);
    }
    return this.decode(bytes);
  }

  finish(): Float32Array {
    if (!this.type) throw new IngestError(this.file, this.header.length === 0 ? 'the file is empty.' : 'the file ends inside its .npy header.', { offset: this.header.length });
    const expected = this.format!.samples * this.format!.channels;
    if (this.decoded < expected || this.carry.length > 0) {
      throw new IngestError(this.file, `the file is truncated: ${expected - this.decoded} values announced by the header are missing.`, { offset: this.offset });
    }
    return new Float32Array(0);
  }

  private parseHeader(): Uint8Array | undefined {
    const bytes = this.header;
    if (bytes.length < 10) return undefined;
    if (bytes[0] !== 0x93 || String.fromCharCode(...bytes.subarray(1, 6)) !== 'NUMPY') {
      throw new IngestError(this.file, 'this is not a .npy file (no \\x93NUMPY signature).', { offset: 0 });
    }
    const major = bytes[6]!;
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const lengthBytes = major === 1 ? 2 : 4;
    if (bytes.length < 8 + lengthBytes) return undefined;
    const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
    const start = 8 + lengthBytes;
    if (bytes.length < start + headerLength) return undefined;
    const text = new TextDecoder().decode(bytes.subarray(start, start + headerLength));
    const descr = /'descr':\s*'([<>|=])([a-z]\d)'/.exec(text);
    const fortran = /'fortran_order':\s*(True|False)/.exec(text)?.[1] === 'True';
    const shape = /'shape':\s*\(([^)]*)\)/.exec(text)?.[1]?.split(',').map((part) => part.trim()).filter(Boolean).map(Number);
    if (!descr || !shape) throw new IngestError(this.file, 'the .npy header cannot be read.', { offset: start });
    const type = TYPES[descr[2]!];
    if (!type) throw new IngestError(this.file, `values of type ${descr[2]} are not supported (use float32/64 or 8/16/32-bit integers).`, { offset: start });
    if (shape.length < 1 || shape.length > 2) throw new IngestError(this.file, `a ${shape.length}-D array cannot be imported: use 1-D (samples) or 2-D (samples × channels).`, { offset: start });
    if (fortran && shape.length === 2 && shape[1]! > 1) throw new IngestError(this.file, 'Fortran-ordered 2-D arrays are not supported: save it with C order.', { offset: start });
    this.type = { ...type, little: descr[1] !== '>' };
    this.format = { samples: shape[0]!, channels: shape[1] ?? 1 };
    this.offset = start + headerLength;
    const rest = bytes.subarray(start + headerLength);
    this.header = new Uint8Array(0);
    return rest;
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

import { describe, expect, it } from 'vitest';
import { IngestError } from './ingest-error';
import { RAW_DTYPES, RawDecoder, parseRawFormat, type RawDType, type RawFormat } from './raw-decoder';

/** Values each type holds exactly (float32 included), covering the sign bit and the extremes. */
const SAMPLES: Record<RawDType, number[]> = {
  int8: [0, 1, -1, 127, -128, 42, -7, 100],
  uint8: [0, 1, 255, 128, 127, 42, 7, 200],
  int16: [0, 1, -1, 32767, -32768, 1234, -4321, 256],
  uint16: [0, 1, 65535, 32768, 32767, 1234, 4321, 256],
  int32: [0, 1, -1, 2147483520, -2147483648, 123456, -654321, 65536],
  uint32: [0, 1, 4294967040, 2147483648, 2147483520, 123456, 654321, 65536],
  float32: [0, 1.5, -2.25, 3.4028234663852886e38, -1e-30, Infinity, -Infinity, 0.1],
  float64: [0, 1.5, -2.25, 1e30, -1e-30, Infinity, -Infinity, 0.1],
};

const SETTERS: Record<RawDType, (view: DataView, at: number, value: number, little: boolean) => void> = {
  int8: (view, at, value) => view.setInt8(at, value),
  uint8: (view, at, value) => view.setUint8(at, value),
  int16: (view, at, value, little) => view.setInt16(at, value, little),
  uint16: (view, at, value, little) => view.setUint16(at, value, little),
  int32: (view, at, value, little) => view.setInt32(at, value, little),
  uint32: (view, at, value, little) => view.setUint32(at, value, little),
  float32: (view, at, value, little) => view.setFloat32(at, value, little),
  float64: (view, at, value, little) => view.setFloat64(at, value, little),
};

/** The bytes a logger would write: `values` (interleaved) as `dtype` in the given byte order. */
function encode(dtype: RawDType, values: number[], little: boolean): Uint8Array {
  const width = RAW_DTYPES[dtype].BYTES_PER_ELEMENT;
  const bytes = new Uint8Array(values.length * width);
  const view = new DataView(bytes.buffer);
  values.forEach((value, index) => SETTERS[dtype](view, index * width, value, little));
  return bytes;
}

/** Feeds `bytes` cut at `cuts`; returns every value decoded, and checks each push gave whole frames. */
function decode(format: RawFormat, bytes: Uint8Array, cuts: number[] = []): number[] {
  const decoder = new RawDecoder('logger.raw', format);
  const values: number[] = [];
  let from = 0;
  for (const to of [...cuts, bytes.length]) {
    const frames = decoder.push(bytes.subarray(from, to));
    expect(frames.length % format.channels).toBe(0);
    values.push(...frames);
    from = to;
  }
  values.push(...decoder.finish());
  return values;
}

describe('RawDecoder', () => {
  for (const dtype of Object.keys(SAMPLES) as RawDType[]) {
    for (const littleEndian of [true, false]) {
      it(`reads ${dtype} ${littleEndian ? 'little' : 'big'}-endian as its values`, () => {
        const values = SAMPLES[dtype];
        const expected = dtype.startsWith('float') ? values.map(Math.fround) : values; // integers come out unscaled, exactly
        expect(decode({ dtype, channels: 1, littleEndian }, encode(dtype, values, littleEndian))).toEqual(expected);
      });
    }
  }

  it('keeps multi-channel frames interleaved, whatever odd offsets the pieces are cut at', () => {
    const channels = 3;
    const values = Array.from({ length: 3 * 500 }, (_, i) => (i % channels) * 1000 - (i >> 1));
    for (const littleEndian of [true, false]) {
      const bytes = encode('int16', values, littleEndian);
      const format: RawFormat = { dtype: 'int16', channels, littleEndian };
      // Cuts inside a sample, inside a frame, one byte long, and pieces shorter than a frame in a row.
      expect(decode(format, bytes, [1, 2, 3, 7, 8, 9, 10, 11, 333, 334, 1001, 2999])).toEqual(values);
      expect(decode(format, bytes, Array.from({ length: bytes.length - 1 }, (_, i) => i + 1))).toEqual(values);
    }
    const doubles = Array.from({ length: 2 * 300 }, (_, i) => Math.fround(Math.sin(i) * 1e3));
    for (const littleEndian of [true, false]) {
      // Pieces starting at offsets a Float64Array view cannot use.
      expect(decode({ dtype: 'float64', channels: 2, littleEndian }, encode('float64', doubles, littleEndian), [3, 17, 21, 1000, 1003, 4095])).toEqual(doubles);
    }
  });

  it('reads a piece that starts at an unaligned offset of a larger buffer', () => {
    const values = [1.25, -2.5, 3.75, -5];
    const inner = encode('float32', values, true);
    const outer = new Uint8Array(inner.length + 1);
    outer.set(inner, 1);
    const decoder = new RawDecoder('offset.f32', { dtype: 'float32', channels: 2, littleEndian: true });
    expect([...decoder.push(outer.subarray(1))]).toEqual(values);
    expect(decoder.format).toEqual({ channels: 2 });
  });

  it('says at which byte a ragged tail starts and how many bytes are left over', () => {
    const bytes = encode('int16', [1, 2, 3, 4, 5, 6], false).subarray(0, 11);
    const format: RawFormat = { dtype: 'int16', channels: 2, sampleRate: 8000, littleEndian: false };
    const decoder = new RawDecoder('ragged.bin', format);
    expect([...decoder.push(bytes.subarray(0, 5)), ...decoder.push(bytes.subarray(5))]).toEqual([1, 2, 3, 4]);
    expect(() => decoder.finish()).toThrow('ragged.bin (at byte 8): 3 bytes are left over after the last whole frame: a frame of 2 × int16 is 4 bytes');
    expect(() => decode({ dtype: 'float64', channels: 1, littleEndian: true }, new Uint8Array(9))).toThrow('logger.raw (at byte 8): 1 byte is left over');
  });

  it('refuses an empty file', () => {
    expect(() => decode({ dtype: 'uint8', channels: 1, littleEndian: true }, new Uint8Array(0))).toThrow('logger.raw: the file is empty.');
  });

  it('refuses a bad format, naming the file', () => {
    const bad: [unknown, string][] = [
      [{ dtype: 'int24', channels: 1, littleEndian: true }, 'the sample type “int24” is unknown'],
      [{ dtype: 'toString', channels: 1, littleEndian: true }, 'the sample type “toString” is unknown'],
      [{ dtype: 'int16', channels: 0, littleEndian: true }, 'the channel count must be a whole number from 1 to 1024, not 0'],
      [{ dtype: 'int16', channels: 1.5, littleEndian: true }, 'the channel count must be a whole number from 1 to 1024, not 1.5.'],
      [{ dtype: 'int16', channels: 1025, littleEndian: true }, 'the channel count must be a whole number from 1 to 1024, not 1025.'],
      [{ dtype: 'int16', channels: '2', littleEndian: true }, 'the channel count must be a whole number from 1 to 1024, not 2.'],
      [{ dtype: 'int16', channels: 2, sampleRate: 0, littleEndian: true }, 'the sample rate must be a number of Hz above 0'],
      [{ dtype: 'int16', channels: 2, sampleRate: NaN, littleEndian: true }, 'the sample rate must be a number of Hz above 0 (or left out), not NaN.'],
      [{ dtype: 'int16', channels: 2 }, 'the byte order must be declared'],
      [null, 'no raw format is declared'],
    ];
    for (const [format, message] of bad) {
      expect(() => new RawDecoder('x.dat', format as RawFormat)).toThrow(IngestError);
      expect(() => new RawDecoder('x.dat', format as RawFormat)).toThrow(`x.dat: ${message}`);
    }
    expect(new RawDecoder('x.dat', { dtype: 'uint16', channels: 1024, littleEndian: false }).format).toEqual({ channels: 1024 });
  });

  it('parses a stored format, dropping unknown fields', () => {
    expect(parseRawFormat({ dtype: 'float32', channels: 4, sampleRate: 250, littleEndian: false, extra: 1 })).toEqual({ dtype: 'float32', channels: 4, sampleRate: 250, littleEndian: false });
    expect(() => parseRawFormat({ dtype: 'float32' })).toThrow('the raw format: the channel count must be');
  });
});

describe('raw samples in pieces, empty ones included', () => {
  it('keeps a split frame across an empty piece (it used to be dropped, shifting every later sample)', () => {
    const format: RawFormat = { dtype: 'int16', channels: 2, littleEndian: true };
    const bytes = encode('int16', [1, 2, 3, 4, 5, 6], true);
    expect(decode(format, bytes, [3, 3, 3, 7, 7])).toEqual([1, 2, 3, 4, 5, 6]);
    expect(decode(format, bytes, [0, 0, 1, 1])).toEqual([1, 2, 3, 4, 5, 6]);
  });
});

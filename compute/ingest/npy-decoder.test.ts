import { describe, expect, it } from 'vitest';
import { IngestError } from './ingest-error';
import { NpyDecoder } from './npy-decoder';
import { npyHeader } from './npy-encoder';

function decode(bytes: Uint8Array): Float32Array {
  const decoder = new NpyDecoder('grid.npy');
  const values = decoder.push(bytes);
  decoder.finish();
  return values;
}

const withValues = (shape: string, count: number) => {
  const head = npyHeader('<f4', shape);
  const file = new Uint8Array(head.length + count * 4);
  file.set(head);
  return file;
};

describe('.npy headers that do not describe a usable array', () => {
  it('refuses negative, fractional and other non-whole dimensions with an IngestError (not a RangeError)', () => {
    for (const shape of ['(-3,)', '(2.5, 2)', '(4, -1)', '(3L,)', '(0x10,)', '(1e3,)']) {
      expect(() => decode(withValues(shape, 8)), shape).toThrow(IngestError);
      expect(() => decode(withValues(shape, 8)), shape).toThrow(`grid.npy (at byte 10): the .npy header's shape ${shape} is not a list of whole numbers.`);
    }
  });

  it('says so when the array holds no values, instead of importing nothing', () => {
    for (const shape of ['(0,)', '(0, 0)', '(5, 0)', '(0, 3)']) {
      expect(() => decode(withValues(shape, 0)), shape).toThrow(`grid.npy (at byte 10): the array is empty (shape ${shape}): there are no values to import.`);
    }
  });

  it('refuses more than 1024 channels and more values than a file can hold', () => {
    expect(() => decode(withValues('(2, 1025)', 2050))).toThrow('the array has 1025 columns (channels); at most 1024 can be imported.');
    expect(() => decode(withValues('(9007199254740991, 2)', 0))).toThrow('announces more values than any file can hold');
    expect(decode(withValues('(2, 1024)', 2048))).toHaveLength(2048);
  });

  it('refuses a header length over 64 KiB as soon as it is read, instead of buffering what follows', () => {
    const head = npyHeader('<f4', '(3,)', { version: 2 });
    new DataView(head.buffer).setUint32(8, 0xfffffff0, true);
    const decoder = new NpyDecoder('huge.npy');
    expect(() => decoder.push(head.subarray(0, 12))).toThrow('huge.npy (at byte 8): the .npy header says it is 4294967280 bytes; at most 65536 are accepted');
  });

  it('refuses an unknown format version', () => {
    const head = npyHeader('<f4', '(3,)');
    head[6] = 9;
    expect(() => decode(head)).toThrow('.npy format version 9 is not supported');
  });
});

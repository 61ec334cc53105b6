import { describe, expect, it } from 'vitest';
import { WavDecoder } from './wav-decoder';
import { encodeWav } from './wav-encoder';

function decodeInPieces(bytes: Uint8Array, piece: number, file = 'test.wav') {
  const decoder = new WavDecoder(file);
  const parts: number[] = [];
  for (let at = 0; at < bytes.length; at += piece) parts.push(...decoder.push(bytes.subarray(at, at + piece)));
  decoder.finish();
  return { samples: parts, format: decoder.format! };
}

const signal = Array.from({ length: 600 }, (_, i) => Math.sin(i * 0.05) * 0.9);

describe('WAV decoding, fed in pieces of any size', () => {
  const cases: [string, { bits: number; float?: boolean; extensible?: boolean; channels?: number }, number][] = [
    ['8-bit PCM', { bits: 8 }, 1 / 64],
    ['16-bit PCM', { bits: 16 }, 1e-4],
    ['24-bit PCM', { bits: 24 }, 1e-6],
    ['32-bit PCM', { bits: 32 }, 1e-7],
    ['32-bit float', { bits: 32, float: true }, 1e-7],
    ['64-bit float', { bits: 64, float: true }, 1e-7],
    ['16-bit PCM stereo, extensible', { bits: 16, extensible: true, channels: 2 }, 1e-4],
    ['float32, 3 channels, extensible', { bits: 32, float: true, extensible: true, channels: 3 }, 1e-7],
  ];
  for (const [name, options, tolerance] of cases) {
    for (const piece of [1, 7, 4096]) {
      it(`${name} in pieces of ${piece} bytes`, () => {
        const bytes = encodeWav(signal, { sampleRate: 8000, ...options });
        const { samples, format } = decodeInPieces(bytes, piece);
        expect(format).toMatchObject({ channels: options.channels ?? 1, sampleRate: 8000, bitsPerSample: options.bits });
        expect(samples).toHaveLength(signal.length);
        samples.forEach((value, index) => expect(Math.abs(value - signal[index]!)).toBeLessThanOrEqual(tolerance));
      });
    }
  }
});

describe('bad WAV files give clear messages naming the file and the place', () => {
  const failure = (bytes: Uint8Array) => {
    try {
      decodeInPieces(bytes, 100, 'pump.wav');
    } catch (error) {
      return (error as Error).message;
    }
    return 'no error';
  };
  it('empty file', () => expect(failure(new Uint8Array(0))).toBe('pump.wav: the file is empty.'));
  it('not a WAV file', () => expect(failure(new TextEncoder().encode('time,value\n1,2\n'))).toMatch(/^pump\.wav \(at byte 0\): this is not a WAV file/));
  it('truncated samples', () => {
    const bytes = encodeWav(signal);
    expect(failure(bytes.subarray(0, bytes.length - 101))).toMatch(/pump\.wav \(at byte \d+\): the file is truncated: 101 bytes/);
  });
  it('truncated header', () => expect(failure(encodeWav(signal).subarray(0, 30))).toMatch(/ends inside its header/));
  it('unsupported encoding', () => {
    const bytes = encodeWav(signal);
    new DataView(bytes.buffer).setUint16(20, 2, true); // ADPCM
    expect(failure(bytes)).toMatch(/format code 2 is not supported/);
  });
  it('more channels than can be imported', () => {
    const bytes = encodeWav(new Array(2000).fill(0), { channels: 1000 });
    new DataView(bytes.buffer).setUint16(22, 2000, true);
    expect(failure(bytes)).toBe('pump.wav (at byte 22): the header says there are 2000 channels; at most 1024 can be imported.');
    expect(failure(encodeWav(new Array(2048).fill(0), { channels: 1024 }))).toBe('no error');
  });
  it('no samples at all', () => expect(failure(encodeWav([]))).toBe('pump.wav (at byte 44): the file holds no samples: its data chunk is empty.'));
  it('a format chunk too large to be one', () => {
    const bytes = encodeWav(signal);
    new DataView(bytes.buffer).setUint32(16, 1 << 20, true);
    expect(failure(bytes)).toBe('pump.wav (at byte 16): the format chunk says it is 1048576 bytes; a WAV format chunk is at most 65536.');
  });
});

describe('chunks before the samples', () => {
  /** `plain` with a chunk of `size` zero bytes (id LIST, padded to an even size) put between its format chunk and its samples. */
  function withChunk(plain: Uint8Array, size: number): Uint8Array {
    const padded = size + (size % 2);
    const file = new Uint8Array(plain.length + 8 + padded);
    file.set(plain.subarray(0, 36));
    file.set(new TextEncoder().encode('LIST'), 36);
    new DataView(file.buffer).setUint32(40, size, true);
    file.set(plain.subarray(36), 44 + padded);
    return file;
  }

  it('passes over a 32 MiB chunk fed in 64 KiB pieces as it comes (it was re-joined with every piece: quadratic, seconds)', () => {
    const { samples, format } = decodeInPieces(withChunk(encodeWav(signal, { sampleRate: 8000 }), 32 << 20), 65536);
    expect(format.sampleRate).toBe(8000);
    expect(samples).toHaveLength(signal.length);
  });

  it('passes over an odd-sized chunk and its padding byte, in pieces of one byte', () => {
    expect(decodeInPieces(withChunk(encodeWav(signal), 1001), 1).samples).toHaveLength(signal.length);
  });
});

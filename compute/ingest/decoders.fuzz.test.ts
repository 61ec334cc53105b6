import { describe, expect, it } from 'vitest';
import { concat, FuzzCheckFailed, runFuzz, type Fuzzer } from '../../storage/testing/fuzz';
import { IngestError } from './ingest-error';
import { MAX_CHANNELS } from './channel-limit';
import { WavDecoder } from './wav-decoder';
import { encodeWav } from './wav-encoder';
import { CsvDecoder } from './csv-decoder';
import { NpyDecoder } from './npy-decoder';
import { npyHeader, npyShape } from './npy-encoder';
import { RAW_DTYPES, RawDecoder, type RawDType, type RawFormat } from './raw-decoder';
import type { StreamDecoder } from './import-file';

/**
 * Every decoder, fed generated files (valid ones, then damaged), whole and in random pieces (empty ones included):
 * both ways must give the same samples or the same IngestError, and nothing else may escape. Inputs stay under a few
 * KiB, so the work per input is bounded whatever the decoder does with them (a hang is a bug, seen as a timeout).
 */

const INPUTS = 2500;
const text = new TextEncoder();

type Outcome = { values: Float32Array; format: StreamDecoder['format'] } | { error: unknown };

function decodeAll(make: () => StreamDecoder, pieces: Uint8Array[]): Outcome {
  try {
    const decoder = make();
    const parts = pieces.map((piece) => decoder.push(piece));
    parts.push(decoder.finish());
    return { values: new Float32Array(concat(parts.map((part) => new Uint8Array(part.buffer, part.byteOffset, part.byteLength))).buffer), format: decoder.format };
  } catch (error) {
    return { error };
  }
}

function sameBits(a: Float32Array, b: Float32Array): boolean {
  if (a.length !== b.length) return false;
  const left = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const right = new Uint32Array(b.buffer, b.byteOffset, b.length);
  return left.every((word, index) => word === right[index]);
}

/** The decoder given the file whole and in random pieces: same result, only IngestError, and an accepted file is sane. */
function checkDecoder({ make, bytes, frames }: Generated, fuzzer: Fuzzer): void {
  const whole = decodeAll(make, [bytes]);
  const split = decodeAll(make, fuzzer.pieces(bytes));
  for (const outcome of [whole, split]) if ('error' in outcome && !(outcome.error instanceof IngestError)) throw outcome.error;
  if ('error' in whole || 'error' in split) {
    const messages = [whole, split].map((outcome) => ('error' in outcome ? (outcome.error as Error).message : 'accepted'));
    if (messages[0] !== messages[1]) throw new FuzzCheckFailed(`whole file: ${messages[0]} / in pieces: ${messages[1]}`);
    throw (whole as { error: unknown }).error;
  }
  if (!sameBits(whole.values, split.values)) throw new FuzzCheckFailed(`in pieces the samples differ from the whole file's (${split.values.length} vs ${whole.values.length} values)`);
  if (JSON.stringify(whole.format) !== JSON.stringify(split.format)) throw new FuzzCheckFailed(`formats differ: ${JSON.stringify(whole.format)} / ${JSON.stringify(split.format)}`);
  const format = whole.format;
  if (!format) throw new FuzzCheckFailed('accepted without a format');
  if (!Number.isInteger(format.channels) || format.channels < 1 || format.channels > MAX_CHANNELS) throw new FuzzCheckFailed(`accepted with ${format.channels} channels`);
  if (format.sampleRate !== undefined && !(Number.isFinite(format.sampleRate) && format.sampleRate > 0)) throw new FuzzCheckFailed(`accepted with a sample rate of ${format.sampleRate}`);
  if (whole.values.length === 0) throw new FuzzCheckFailed('accepted with no samples at all (nothing would be imported, silently)');
  if (whole.values.length % format.channels !== 0) throw new FuzzCheckFailed(`${whole.values.length} values is not a whole number of ${format.channels}-channel frames`);
  if (frames !== undefined && whole.values.length / format.channels !== frames) throw new FuzzCheckFailed(`an intact file of ${frames} frames gave ${whole.values.length / format.channels}`);
}

/** A generated input: its bytes, its decoder, and (for an intact valid file) the frames it holds. */
interface Generated {
  bytes: Uint8Array;
  make: () => StreamDecoder;
  frames?: number | undefined;
}

/** Intact (frames known), or damaged by the fuzzer. */
function maybeDamaged(fuzzer: Fuzzer, file: { bytes: Uint8Array; frames: number | undefined }): { bytes: Uint8Array; frames?: number | undefined } {
  const bytes = fuzzer.mutate(file.bytes);
  return bytes.length === file.bytes.length && bytes.every((byte, index) => byte === file.bytes[index]) ? { bytes, frames: file.frames } : { bytes };
}

function fuzzDecoder(target: string, seed: number, generate: (fuzzer: Fuzzer) => Generated) {
  const report = runFuzz(target, { seed, inputs: INPUTS, generate, check: checkDecoder, isNamed: (error) => error instanceof IngestError });
  expect(report.crashes).toEqual([]);
  expect(report.namedErrors).toBeGreaterThan(INPUTS / 10); // the damage does reach the checks
  expect(report.inputs - report.namedErrors).toBeGreaterThan(INPUTS / 10); // and valid files do get through
}

/** A chunk (id, size, body padded to an even length) to put among a WAV file's chunks. */
function riffChunk(id: string, body: Uint8Array): Uint8Array {
  const head = new Uint8Array(8);
  head.set(text.encode(id));
  new DataView(head.buffer).setUint32(4, body.length, true);
  return concat([head, body, new Uint8Array(body.length % 2)]);
}

function wavFile(fuzzer: Fuzzer): { bytes: Uint8Array; frames: number | undefined } {
  const float = fuzzer.chance(0.3);
  const bits = float ? fuzzer.pick([32, 64]) : fuzzer.pick([8, 16, 24, 32]);
  const channels = fuzzer.pick([1, 1, 2, 3, 5]);
  const frames = fuzzer.int(0, 60);
  const samples = Array.from({ length: frames * channels }, () => fuzzer.next() * 2 - 1);
  const extensible = fuzzer.chance(0.2);
  const plain = encodeWav(samples, { channels, bits, float, extensible, sampleRate: fuzzer.pick([1, 8000, 48000, 0xffffffff]) });
  const fmtEnd = 12 + 8 + (extensible ? 40 : 16);
  // Other chunks before the samples (odd sizes, so padding is exercised) and after them.
  const before = fuzzer.chance(0.4) ? riffChunk('LIST', fuzzer.bytes(fuzzer.int(0, 300))) : new Uint8Array(0);
  const after = fuzzer.chance(0.3) ? riffChunk('LIST', fuzzer.bytes(fuzzer.int(0, 30))) : new Uint8Array(0);
  const file = concat([plain.subarray(0, fmtEnd), before, plain.subarray(fmtEnd), after]);
  if (fuzzer.chance(0.15) && after.length === 0) new DataView(file.buffer).setUint32(fmtEnd + before.length + 4, fuzzer.pick([0, 0xffffffff]), true); // "to the end"
  return { bytes: file, frames: frames > 0 ? frames : undefined };
}

function csvFile(fuzzer: Fuzzer): { bytes: Uint8Array; frames: number | undefined } {
  const delimiter = fuzzer.pick([',', ';', '\t']);
  const lineEnd = fuzzer.pick(['\n', '\r\n', '\r']);
  const channels = fuzzer.chance(0.05) ? fuzzer.int(1000, 1500) : fuzzer.int(1, 4);
  const time = fuzzer.pick(['none', 'seconds', 'iso']);
  const step = fuzzer.pick([0.001, 1, 2.5, 1e-320, 0, -1]);
  const start = fuzzer.pick([0, 1e9, 1e308]);
  const header = fuzzer.chance(0.7) ? [...(time !== 'none' ? ['time'] : []), ...Array.from({ length: channels }, (_, index) => `"ch ${index}"`)].join(delimiter) : undefined;
  // An empty cell is NaN, except a row of one empty cell: that is a blank line, skipped.
  const cell = () => fuzzer.pick([String(fuzzer.int(-1000, 1000)), (fuzzer.next() * 10).toFixed(3), 'NaN', channels + (time === 'none' ? 0 : 1) > 1 ? '' : 'nan', '1e38', '-0.5e-3']);
  const rowCount = fuzzer.int(0, 20);
  const rows = Array.from({ length: rowCount }, (_, row) => {
    const stamp = time === 'seconds' ? [String(start + row * step)] : time === 'iso' ? [new Date(Date.UTC(2024, 0, 1) + row * 1000 * Math.abs(step)).toISOString()] : [];
    return [...stamp, ...Array.from({ length: channels }, cell)].join(delimiter);
  });
  const comment = fuzzer.chance(0.2) ? ['# logger 7'] : [];
  const lines = [...comment, ...(header !== undefined ? [header] : []), ...rows];
  let body = lines.join(lineEnd) + (fuzzer.chance(0.5) ? lineEnd : '');
  const valid = rowCount > 0 && channels <= MAX_CHANNELS && (time === 'none' || rowCount === 1 || (step >= 1e-300 && start < 1e300));
  if (!valid || fuzzer.chance(0.3)) {
    // Text damage: a stray delimiter, quote, line end or non-ASCII character somewhere.
    const at = fuzzer.int(0, body.length);
    body = body.slice(0, at) + fuzzer.pick([delimiter, '"', '\r', '\n', '\r\n', 'é', '€', '\u{1F600}', 'x']) + body.slice(at);
    return { bytes: text.encode(body), frames: undefined };
  }
  return { bytes: text.encode(body), frames: rowCount };
}

const NPY_TYPES = ['f4', 'f8', 'i1', 'u1', 'i2', 'u2', 'i4', 'u4'] as const;
const NPY_WIDTH: Record<string, number> = { f4: 4, f8: 8, i1: 1, u1: 1, i2: 2, u2: 2, i4: 4, u4: 4 };

function npyFile(fuzzer: Fuzzer): Uint8Array {
  const type = fuzzer.pick(NPY_TYPES);
  const order = NPY_WIDTH[type] === 1 ? '|' : fuzzer.pick(['<', '>']);
  const dims = fuzzer.chance(0.5) ? [fuzzer.int(1, 40)] : [fuzzer.int(1, 20), fuzzer.int(1, 4)];
  const values = dims.reduce((product, dim) => product * dim, 1);
  // Shape damage a writer (or an attacker) can put in the header text.
  const shownDims = dims.map(String);
  if (fuzzer.chance(0.25)) shownDims[fuzzer.int(0, shownDims.length - 1)] = fuzzer.pick(['-3', '2.5', '0', '1e20', '9007199254740993', '3L', '0x10', ' ', '65536']);
  const head = npyHeader(`${order}${type}`, npyShape(shownDims), { version: fuzzer.pick([1, 2, 3] as const), fortran: fuzzer.chance(0.1) });
  return concat([head, fuzzer.bytes(values * NPY_WIDTH[type]!)]);
}

function rawFormat(fuzzer: Fuzzer): RawFormat {
  return { dtype: fuzzer.pick(Object.keys(RAW_DTYPES) as RawDType[]), channels: fuzzer.int(1, 5), littleEndian: fuzzer.chance(0.5), ...(fuzzer.chance(0.5) ? { sampleRate: 1000 } : {}) };
}

describe('decoders under fuzzing: streaming agrees with whole-file decoding, only IngestError escapes', () => {
  it('WAV', { timeout: 30_000 }, () => {
    fuzzDecoder('WAV', 1, (fuzzer) => ({ ...maybeDamaged(fuzzer, wavFile(fuzzer)), make: () => new WavDecoder('fuzz.wav') }));
  });

  it('CSV', { timeout: 30_000 }, () => {
    fuzzDecoder('CSV', 2, (fuzzer) => ({ ...(fuzzer.chance(0.7) ? csvFile(fuzzer) : maybeDamaged(fuzzer, csvFile(fuzzer))), make: () => new CsvDecoder('fuzz.csv') }));
  });

  it('.npy', { timeout: 30_000 }, () => {
    fuzzDecoder('.npy', 3, (fuzzer) => ({ bytes: fuzzer.mutate(npyFile(fuzzer)), make: () => new NpyDecoder('fuzz.npy') }));
  });

  it('raw', { timeout: 30_000 }, () => {
    fuzzDecoder('raw', 4, (fuzzer) => {
      const format = rawFormat(fuzzer);
      const frameBytes = RAW_DTYPES[format.dtype].BYTES_PER_ELEMENT * format.channels;
      const bytes = fuzzer.bytes(fuzzer.chance(0.8) ? fuzzer.int(0, 60) * frameBytes : fuzzer.int(0, 400));
      return { bytes: fuzzer.chance(0.8) ? bytes : fuzzer.mutate(bytes), make: () => new RawDecoder('fuzz.raw', format) };
    });
  });
});

/**
 * A small seeded fuzzing kit for the tests: a deterministic generator (a failing input is replayed from its seed and
 * index), input mutations, random splits into pieces (empty ones included) and a runner that counts inputs, the
 * project's named errors and crashes (anything else escaping, or a check failing).
 */

/** Uniform numbers in [0, 1) from a 32-bit seed (mulberry32): fast, and the same sequence everywhere. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = state;
    mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
}

export class Fuzzer {
  readonly next: () => number;

  constructor(seed: number) {
    this.next = seededRandom(seed);
  }

  /** A whole number from `min` to `max`, both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(choices: readonly T[]): T {
    return choices[Math.floor(this.next() * choices.length)]!;
  }

  bytes(length: number): Uint8Array {
    const out = new Uint8Array(length);
    for (let index = 0; index < length; index += 1) out[index] = this.int(0, 255);
    return out;
  }

  /**
   * `bytes` cut at random places into pieces that cover it in order; about one piece in four is empty, and pieces are
   * often a single byte, so every boundary a decoder can meet (inside a header, a sample, a line break) is met.
   */
  pieces(bytes: Uint8Array): Uint8Array[] {
    const out: Uint8Array[] = [];
    let at = 0;
    while (at < bytes.length) {
      if (this.chance(0.25)) out.push(bytes.subarray(at, at));
      const size = this.chance(0.4) ? 1 : this.int(1, Math.max(1, Math.ceil(bytes.length / 3)));
      out.push(bytes.subarray(at, at + size));
      at += size;
    }
    if (this.chance(0.5)) out.push(bytes.subarray(bytes.length));
    return out;
  }

  /** A copy of a valid input, damaged the ways files get damaged: flipped bytes, cut short, garbage added (or intact). */
  mutate(bytes: Uint8Array): Uint8Array {
    const out = bytes.slice();
    switch (this.int(0, 4)) {
      case 0:
        return out; // intact: valid inputs must decode, and streaming must agree with whole-file decoding
      case 1:
        for (let flips = this.int(1, 4); flips > 0 && out.length > 0; flips -= 1) out[this.int(0, out.length - 1)] ^= 1 << this.int(0, 7);
        return out;
      case 2:
        return out.subarray(0, this.int(0, out.length));
      case 3:
        return concat([out, this.bytes(this.int(1, 16))]);
      default: {
        // A number field overwritten with an extreme value (most header fields are 16- or 32-bit little-endian).
        if (out.length < 4) return out;
        const at = this.int(0, out.length - 4);
        new DataView(out.buffer, out.byteOffset).setUint32(at, this.pick([0, 1, 0xffff, 0x7fffffff, 0x80000000, 0xffffffff, 0xfffffffe]), true);
        return out;
      }
    }
  }
}

export function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

export interface FuzzReport {
  target: string;
  inputs: number;
  /** Inputs refused with one of the project's named errors (the expected way to refuse bad input). */
  namedErrors: number;
  /** Inputs where something else escaped or a check failed: the first of each kind, with the index to replay it. */
  crashes: { index: number; problem: string }[];
  crashCount: number;
}

/** Thrown by a fuzz check (streaming disagreeing with whole-file decoding, an invariant broken): counts as a crash. */
export class FuzzCheckFailed extends Error {
  override readonly name = 'FuzzCheckFailed';
}

/**
 * Runs `check` on `inputs` generated inputs. `check` returns normally when the input was accepted, or throws: an error
 * `isNamed` accepts counts as a named error, anything else (FuzzCheckFailed included) as a crash.
 */
export function runFuzz<T>(
  target: string,
  { seed, inputs, generate, check, isNamed }: { seed: number; inputs: number; generate: (fuzzer: Fuzzer) => T; check: (input: T, fuzzer: Fuzzer) => void; isNamed: (error: unknown) => boolean },
): FuzzReport {
  const report: FuzzReport = { target, inputs: 0, namedErrors: 0, crashes: [], crashCount: 0 };
  for (let index = 0; index < inputs; index += 1) {
    const fuzzer = new Fuzzer(seed * 1_000_003 + index); // one generator per input: any input replays alone
    const input = generate(fuzzer);
    report.inputs += 1;
    try {
      check(input, fuzzer);
    } catch (error) {
      if (isNamed(error)) {
        report.namedErrors += 1;
        continue;
      }
      report.crashCount += 1;
      const problem = error instanceof Error ? `${error.name}: ${error.message}`.slice(0, 300) : String(error);
      // The first input of each kind of problem (numbers aside), so one bug does not hide the others.
      const kind = problem.replace(/\d+/g, '#');
      if (report.crashes.length < 8 && !report.crashes.some((crash) => crash.problem.replace(/\d+/g, '#') === kind)) report.crashes.push({ index, problem });
    }
  }
  // One line per target, quoted by the closing note of the work that added the suite.
  console.log(`FUZZ ${target}: inputs=${report.inputs} named_errors=${report.namedErrors} crashes=${report.crashCount}`);
  return report;
}

import FFT from 'fft.js';

/**
 * |X_k|² of a real signal, by the fastest FFT measured here (bench:fft): pffft (WASM, SIMD, float32) once
 * `loadFastFft()` has succeeded, else fft.js (float64, radix-4). Plans (and pffft's buffers) are cached per size.
 */

interface PffftPlan {
  setup: number;
  input: number;
  output: number;
  work: number;
  /** The output copied out of the WASM heap: loops over a plain array run several times faster than over the heap's view. */
  spectrum: Float32Array;
}

type Pffft = Awaited<ReturnType<typeof import('@echogarden/pffft-wasm/simd').default>>;

let pffft: Pffft | undefined;
let loading: Promise<boolean> | undefined;
const pffftPlans = new Map<number, PffftPlan>();
const fftjsPlans = new Map<number, { fft: FFT; out: Float64Array }>();

/**
 * Loads pffft's WASM once; resolves to whether it is in use. Where WASM SIMD cannot load, fft.js stays in use —
 * slower (about 10× at 2^20 here), same results to float32 precision.
 */
export function loadFastFft(): Promise<boolean> {
  loading ??= import('@echogarden/pffft-wasm/simd')
    .then(({ default: create }) => create(import.meta.env.DEV && 'location' in globalThis ? { locateFile: () => devWasmUrl() } : {}))
    .then((module) => {
      pffft = module;
      return true;
    })
    .catch(() => false);
  return loading;
}

/**
 * |X_k|² for k = 0 … N/2 of a real frame of power-of-two length N, added into `into` when given. A Float32Array frame
 * goes to pffft as it is (its own precision); a Float64Array one is converted on the way.
 */
export function powerSpectrum(frame: Float32Array | Float64Array, into?: Float64Array): Float64Array {
  const size = frame.length;
  if (size < 2 || (size & (size - 1)) !== 0) throw new RangeError(`FFT size must be a power of two ≥ 2, not ${size}.`);
  const bins = size / 2 + 1;
  const result = into ?? new Float64Array(bins);
  if (pffft && size >= 32) addPffftPower(pffft, frame, result);
  else addFftjsPower(frame, result);
  return result;
}

function addPffftPower(module: Pffft, frame: Float32Array | Float64Array, result: Float64Array): void {
  const size = frame.length;
  let plan = pffftPlans.get(size);
  if (!plan) {
    plan = {
      setup: module._pffft_new_setup(size, 0), // real transform
      input: module._pffft_aligned_malloc(size * 4),
      output: module._pffft_aligned_malloc(size * 4),
      work: module._pffft_aligned_malloc(size * 4), // else pffft uses the small WASM stack
      spectrum: new Float32Array(size),
    };
    pffftPlans.set(size, plan);
  }
  if (frame instanceof Float32Array) module.HEAPF32.set(frame, plan.input >> 2);
  else {
    // float64 → float32: a plain loop is several times faster here than set() across element types.
    const input = module.HEAPF32.subarray(plan.input >> 2, (plan.input >> 2) + size);
    for (let i = 0; i < size; i += 1) input[i] = frame[i]!;
  }
  module._pffft_transform_ordered(plan.setup, plan.input, plan.output, plan.work, 0); // forward
  // Ordered real output: [X0, X(N/2), re1, im1, re2, im2, …] (read after the call: the heap may have grown).
  const out = plan.spectrum;
  out.set(module.HEAPF32.subarray(plan.output >> 2, (plan.output >> 2) + size));
  result[0] = result[0]! + out[0]! * out[0]!;
  result[size / 2] = result[size / 2]! + out[1]! * out[1]!;
  for (let k = 1; k < size / 2; k += 1) {
    const re = out[2 * k]!;
    const im = out[2 * k + 1]!;
    result[k] = result[k]! + re * re + im * im;
  }
}

function addFftjsPower(frame: Float32Array | Float64Array, result: Float64Array): void {
  const size = frame.length;
  let plan = fftjsPlans.get(size);
  if (!plan) {
    plan = { fft: new FFT(size), out: new Float64Array(2 * size) };
    fftjsPlans.set(size, plan);
  }
  plan.fft.realTransform(plan.out, frame);
  for (let k = 0; k <= size / 2; k += 1) {
    const re = plan.out[2 * k]!;
    const im = plan.out[2 * k + 1]!;
    result[k] = result[k]! + re * re + im * im;
  }
}

/**
 * Where the dev server (and the benches and browser tests it serves) has pffft's .wasm: its pre-bundled copy of the
 * package no longer sits beside it. Built apps, and Node, use the package's own lookup.
 */
function devWasmUrl(): string {
  return '/node_modules/@echogarden/pffft-wasm/dist/simd/pffft.wasm';
}

export function nextPowerOfTwo(value: number): number {
  return 2 ** Math.ceil(Math.log2(Math.max(2, value)));
}

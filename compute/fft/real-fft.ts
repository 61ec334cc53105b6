import FFT from 'fft.js';

const plans = new Map<number, { fft: FFT; out: Float64Array }>();

/** A cached plan per size: building the twiddle tables costs more than a transform of small sizes. */
function plan(size: number): { fft: FFT; out: Float64Array } {
  let found = plans.get(size);
  if (!found) {
    if (size < 2 || (size & (size - 1)) !== 0) throw new RangeError(`FFT size must be a power of two ≥ 2, not ${size}.`);
    found = { fft: new FFT(size), out: new Float64Array(2 * size) };
    plans.set(size, found);
  }
  return found;
}

/**
 * |X_k|² for k = 0 … N/2 of a real signal of power-of-two length N (fft.js, float64, radix-4), added into `into`
 * when given (to average several segments) or returned fresh.
 */
export function powerSpectrum(frame: Float64Array, into?: Float64Array): Float64Array {
  const { fft, out } = plan(frame.length);
  fft.realTransform(out, frame);
  const bins = frame.length / 2 + 1;
  const result = into ?? new Float64Array(bins);
  for (let k = 0; k < bins; k += 1) {
    const re = out[2 * k] as number;
    const im = out[2 * k + 1] as number;
    result[k] = (result[k] as number) + re * re + im * im;
  }
  return result;
}

export function nextPowerOfTwo(value: number): number {
  return 2 ** Math.ceil(Math.log2(Math.max(2, value)));
}

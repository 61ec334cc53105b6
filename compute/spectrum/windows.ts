export type WindowName = 'hann' | 'hamming' | 'blackman' | 'rectangular';

export const WINDOWS: WindowName[] = ['hann', 'hamming', 'blackman', 'rectangular'];

/** Periodic window coefficients of length n (the form used for spectral analysis with overlapping segments). */
export function windowCoefficients(name: WindowName, n: number): Float64Array {
  const w = new Float64Array(n);
  for (let i = 0; i < n; i += 1) {
    const x = (2 * Math.PI * i) / n;
    switch (name) {
      case 'hann':
        w[i] = 0.5 - 0.5 * Math.cos(x);
        break;
      case 'hamming':
        w[i] = 0.54 - 0.46 * Math.cos(x);
        break;
      case 'blackman':
        w[i] = 0.42 - 0.5 * Math.cos(x) + 0.08 * Math.cos(2 * x);
        break;
      case 'rectangular':
        w[i] = 1;
        break;
      default:
        throw new RangeError(`Unknown window "${String(name)}": use ${WINDOWS.join(', ')}.`);
    }
  }
  return w;
}

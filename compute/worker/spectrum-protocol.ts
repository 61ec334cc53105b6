import type { Spectrum, SpectrumParams, WelchPartial } from '../spectrum/welch';

/**
 * Messages to the spectrum worker: the parameters, chunks of interleaved samples (transferred; each answered `taken`
 * once transformed, so the page sends no faster than the worker computes), then `finish` (the spectrum) or `partial`
 * (the sums of this part of the signal, for a spectrum computed by several workers).
 */
export type SpectrumRequest =
  | { type: 'start'; channels: number; params: SpectrumParams & { segment: number } }
  | { type: 'chunk'; samples: Float32Array | Float64Array }
  | { type: 'finish' }
  | { type: 'partial' };

export type SpectrumResponse =
  | { type: 'taken' }
  | { type: 'result'; spectrum: Spectrum }
  | { type: 'partial'; partial: WelchPartial }
  | { type: 'error'; name: string; message: string };

import type { Spectrum, SpectrumParams } from '../spectrum/welch';

/** Messages to the spectrum worker: the parameters, chunks of interleaved samples (transferred), then finish. */
export type SpectrumRequest =
  | { type: 'start'; channels: number; params: SpectrumParams & { segment: number } }
  | { type: 'chunk'; samples: Float32Array | Float64Array }
  | { type: 'finish' };

export type SpectrumResponse = { type: 'result'; spectrum: Spectrum } | { type: 'error'; name: string; message: string };

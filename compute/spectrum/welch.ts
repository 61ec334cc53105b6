import { nextPowerOfTwo, powerSpectrum } from '../fft/real-fft';
import { windowCoefficients, type WindowName } from './windows';

export type SpectrumScale = 'psd' | 'magnitude' | 'db';

export interface SpectrumParams {
  /** Samples per second of the signal. */
  samplingRate: number;
  /** Segment length (power of two). Default: the whole signal in one FFT up to 2^22 samples, else 65536 (Welch). */
  segment?: number;
  /** Overlap of consecutive segments, 0 ≤ overlap < 1. Default 0.5. */
  overlap?: number;
  /** Default 'hann'. */
  window?: WindowName;
  /** 'psd' (unit²/Hz, one-sided), 'magnitude' (a sine of amplitude A peaks at A), 'db' (10·log10 of the PSD). Default 'psd'. */
  scale?: SpectrumScale;
}

export interface Spectrum {
  /** Frequency step between bins (Hz); bin k is k · df. */
  df: number;
  /** Per channel, bins 0 … N/2. */
  values: Float64Array[];
  /** Segments averaged. */
  segments: number;
  params: Required<SpectrumParams>;
}

/** Longest signal analysed with one FFT; longer ones use Welch's method. */
export const SINGLE_FFT_LIMIT = 2 ** 22;
const WELCH_SEGMENT = 65536;

/**
 * Welch's method over a stream of chunks (interleaved channels), with bounded memory: only one segment per channel
 * and the running sum are kept, whatever the signal's length. Segments are windowed, transformed and their power
 * averaged; a signal shorter than the segment is zero-padded into one segment.
 */
/** Welch's sums of power per channel over some segments, and how many: parts of one signal add up. */
export interface WelchPartial {
  sums: Float64Array[];
  segments: number;
}

export class WelchAccumulator {
  readonly params: Required<SpectrumParams>;
  private window: Float64Array;
  private readonly step: number;
  private readonly sums: Float64Array[];
  /** Samples not yet transformed, per channel (at most one segment plus one chunk). */
  private pending: Float64Array[];
  private pendingLength = 0;
  /** Float32: what pffft transforms (no conversion on the way in). */
  private readonly frame: Float32Array;
  private segments = 0;

  constructor(
    private readonly channels: number,
    params: SpectrumParams & { segment: number },
  ) {
    const overlap = params.overlap ?? 0.5;
    if (!(params.samplingRate > 0)) throw new RangeError('The sampling rate must be above 0.');
    if (!(overlap >= 0 && overlap < 1)) throw new RangeError(`Overlap must be at least 0 and below 1, not ${overlap}.`);
    const segment = nextPowerOfTwo(params.segment);
    this.params = { samplingRate: params.samplingRate, segment, overlap, window: params.window ?? 'hann', scale: params.scale ?? 'psd' };
    this.window = windowCoefficients(this.params.window, segment);
    this.step = Math.max(1, Math.round(segment * (1 - overlap)));
    this.sums = Array.from({ length: channels }, () => new Float64Array(segment / 2 + 1));
    this.pending = Array.from({ length: channels }, () => new Float64Array(segment * 2));
    this.frame = new Float32Array(segment);
  }

  /** Adds samples (interleaved channels). */
  push(samples: ArrayLike<number>): void {
    const frames = samples.length / this.channels;
    const segment = this.params.segment;
    for (let offset = 0; offset < frames; ) {
      // Copy as much as fits, transform every whole segment, keep the overlap.
      const room = this.pending[0]!.length - this.pendingLength;
      const take = Math.min(room, frames - offset);
      for (let channel = 0; channel < this.channels; channel += 1) {
        const buffer = this.pending[channel]!;
        for (let row = 0; row < take; row += 1) buffer[this.pendingLength + row] = samples[(offset + row) * this.channels + channel] as number;
      }
      this.pendingLength += take;
      offset += take;
      let consumed = 0;
      while (this.pendingLength - consumed >= segment) {
        for (let channel = 0; channel < this.channels; channel += 1) this.transform(this.pending[channel]!.subarray(consumed), channel, segment);
        this.segments += 1;
        consumed += this.step;
      }
      if (consumed > 0) {
        for (const buffer of this.pending) buffer.copyWithin(0, consumed, this.pendingLength);
        this.pendingLength -= consumed;
      }
    }
  }

  /** The power sums and segment count so far: what a part of a signal adds to its whole (see `add`). */
  partial(): WelchPartial {
    return { sums: this.sums.map((sum) => sum.slice()), segments: this.segments };
  }

  /** Adds the segments of another part of the signal, transformed with the same parameters elsewhere (another worker). */
  add({ sums, segments }: WelchPartial): void {
    sums.forEach((sum, channel) => {
      const into = this.sums[channel]!;
      for (let k = 0; k < into.length; k += 1) into[k] = into[k]! + sum[k]!;
    });
    this.segments += segments;
  }

  /** Where segment `index` starts (its first sample): segments start every `step` samples. */
  get segmentStep(): number {
    return this.step;
  }

  /** The averaged spectrum; a signal shorter than one segment is zero-padded into one. */
  finish(): Spectrum {
    const remaining = this.pendingLength;
    if (this.segments === 0 && remaining > 0) {
      // Shorter than a segment: window the samples there are, zero-pad to the segment length.
      this.window = windowCoefficients(this.params.window, remaining);
      for (let channel = 0; channel < this.channels; channel += 1) this.transform(this.pending[channel]!, channel, remaining);
      this.segments = 1;
    }
    const { segment, samplingRate, scale } = this.params; // normalised by the window actually used
    const powerSum = this.window.reduce((sum, w) => sum + w * w, 0);
    const gain = this.window.reduce((sum, w) => sum + w, 0);
    const values = this.sums.map((sum) => {
      const out = new Float64Array(sum.length);
      for (let k = 0; k < sum.length; k += 1) {
        const power = (sum[k] as number) / Math.max(1, this.segments);
        const oneSided = k === 0 || k === sum.length - 1 ? 1 : 2;
        if (scale === 'magnitude') out[k] = (Math.sqrt(power) * (oneSided === 2 ? 2 : 1)) / gain;
        else {
          const psd = (power * oneSided) / (samplingRate * powerSum);
          out[k] = scale === 'db' ? 10 * Math.log10(psd) : psd;
        }
      }
      return out;
    });
    return { df: samplingRate / segment, values, segments: this.segments, params: this.params };
  }

  private transform(buffer: Float64Array, channel: number, length: number): void {
    if (length < this.frame.length) this.frame.fill(0, length); // zero-padding, only for a short signal
    for (let i = 0; i < length; i += 1) this.frame[i] = (buffer[i] as number) * (this.window[i] as number);
    powerSpectrum(this.frame, this.sums[channel]);
  }
}

/** Segment length for a signal of `samples`: one FFT up to SINGLE_FFT_LIMIT, else Welch segments. */
export function defaultSegment(samples: number): number {
  return samples <= SINGLE_FFT_LIMIT ? nextPowerOfTwo(samples) : WELCH_SEGMENT;
}

/**
 * Splits Welch's segments of a `samples`-long signal into at most `parts` runs of whole segments, as sample ranges
 * [start, end) that overlap where segments do: each part's segments are exactly the whole signal's segments in it, so
 * their partial sums add up to the whole's (a tail shorter than a segment is left out, as Welch leaves it out).
 */
export function segmentRanges(samples: number, segment: number, step: number, parts: number): Array<{ start: number; end: number }> {
  const count = samples >= segment ? Math.floor((samples - segment) / step) + 1 : 0;
  const groups = Math.max(1, Math.min(parts, count));
  const ranges: Array<{ start: number; end: number }> = [];
  for (let group = 0; group < groups; group += 1) {
    const first = Math.floor((group * count) / groups);
    const last = Math.floor(((group + 1) * count) / groups); // exclusive
    if (last > first) ranges.push({ start: first * step, end: (last - 1) * step + segment });
  }
  return ranges;
}

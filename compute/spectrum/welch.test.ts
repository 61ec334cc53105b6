import { describe, expect, it } from 'vitest';
import { loadFastFft, powerSpectrum } from '../fft/real-fft';
import { WelchAccumulator, defaultSegment, segmentRanges } from './welch';
import { windowCoefficients } from './windows';

function sine(n: number, frequency: number, rate: number, amplitude = 1, phase = 0): Float32Array {
  return Float32Array.from({ length: n }, (_, i) => amplitude * Math.sin((2 * Math.PI * frequency * i) / rate + phase));
}

describe('real FFT', () => {
  it('matches a naive DFT', () => {
    const n = 64;
    const x = Float64Array.from({ length: n }, (_, i) => Math.sin(i * 0.3) + 0.2 * Math.cos(i * 1.7) + (i % 5) * 0.01);
    const power = powerSpectrum(x);
    for (let k = 0; k <= n / 2; k += 1) {
      let re = 0;
      let im = 0;
      for (let t = 0; t < n; t += 1) {
        re += x[t]! * Math.cos((2 * Math.PI * k * t) / n);
        im -= x[t]! * Math.sin((2 * Math.PI * k * t) / n);
      }
      expect(power[k]).toBeCloseTo(re * re + im * im, 8);
    }
  });

  it('keeps Parseval: energy in time equals energy in frequency', () => {
    const n = 1024;
    const x = Float64Array.from({ length: n }, (_, i) => Math.sin(i * 0.05) * Math.cos(i * 0.31));
    const power = powerSpectrum(x);
    let frequencyEnergy = power[0]! + power[n / 2]!;
    for (let k = 1; k < n / 2; k += 1) frequencyEnergy += 2 * power[k]!;
    expect(frequencyEnergy / n).toBeCloseTo(x.reduce((sum, v) => sum + v * v, 0), 6);
  });

  it('pffft (WASM SIMD) gives the same power as fft.js, to float32 precision', async () => {
    const n = 4096;
    const x = Float64Array.from({ length: n }, (_, i) => Math.sin(i * 0.013) + 0.3 * Math.cos(i * 0.9));
    const reference = powerSpectrum(x); // fft.js: pffft is not loaded yet
    expect(await loadFastFft()).toBe(true);
    const fast = powerSpectrum(x);
    const peak = Math.max(...reference);
    for (let k = 0; k < reference.length; k += 1) expect(Math.abs(fast[k]! - reference[k]!)).toBeLessThan(peak * 1e-5);
  });

  it('refuses sizes that are not powers of two', () => {
    expect(() => powerSpectrum(new Float64Array(100))).toThrow(RangeError);
  });
});

describe('windows', () => {
  it('have the textbook values', () => {
    const hann = windowCoefficients('hann', 8);
    expect(hann[0]).toBeCloseTo(0, 12);
    expect(hann[4]).toBeCloseTo(1, 12);
    expect(windowCoefficients('hamming', 8)[0]).toBeCloseTo(0.08, 12);
    expect(windowCoefficients('blackman', 8)[4]).toBeCloseTo(1, 12);
    expect([...windowCoefficients('rectangular', 3)]).toEqual([1, 1, 1]);
  });
});

describe('spectrum', () => {
  const rate = 48000;

  it('a sine peaks at its frequency with its amplitude (magnitude scale)', () => {
    const n = 1 << 16;
    const welch = new WelchAccumulator(1, { samplingRate: rate, segment: defaultSegment(n), scale: 'magnitude' });
    welch.push(sine(n, 1500, rate, 0.8));
    const { values, df } = welch.finish();
    const peak = values[0]!.indexOf(Math.max(...values[0]!));
    expect(peak * df).toBeCloseTo(1500, -1);
    expect(values[0]![peak]).toBeCloseTo(0.8, 1);
  });

  it("Welch's PSD of white noise is flat at variance / (fs / 2), whatever the chunking", () => {
    let state = 7;
    const noise = Float32Array.from({ length: 1 << 17 }, () => {
      state = (state * 1664525 + 1013904223) >>> 0;
      return (state / 2 ** 32 - 0.5) * Math.sqrt(12); // variance 1
    });
    const whole = new WelchAccumulator(1, { samplingRate: rate, segment: 1024 });
    whole.push(noise);
    const chunked = new WelchAccumulator(1, { samplingRate: rate, segment: 1024 });
    for (let start = 0; start < noise.length; start += 3001) chunked.push(noise.subarray(start, start + 3001));
    const a = whole.finish();
    const b = chunked.finish();
    expect(a.segments).toBe(b.segments);
    for (let k = 0; k < a.values[0]!.length; k += 1) expect(b.values[0]![k]).toBeCloseTo(a.values[0]![k]!, 12);
    const interior = a.values[0]!.slice(5, -5);
    const mean = interior.reduce((sum, v) => sum + v, 0) / interior.length;
    expect(mean).toBeCloseTo(1 / (rate / 2), 6);
    expect(Math.max(...interior) / mean).toBeLessThan(1.6);
  });

  it('handles several channels and short signals (zero-padded, one segment)', () => {
    const welch = new WelchAccumulator(2, { samplingRate: 1000, segment: defaultSegment(300) });
    const left = sine(300, 100, 1000);
    const right = sine(300, 250, 1000);
    const interleaved = new Float32Array(600);
    for (let i = 0; i < 300; i += 1) {
      interleaved[2 * i] = left[i]!;
      interleaved[2 * i + 1] = right[i]!;
    }
    welch.push(interleaved);
    const { values, df, segments } = welch.finish();
    expect(segments).toBe(1);
    const peakOf = (v: Float64Array) => v.indexOf(Math.max(...v)) * df;
    expect(peakOf(values[0]!)).toBeCloseTo(100, -1);
    expect(peakOf(values[1]!)).toBeCloseTo(250, -1);
  });
});

describe('Welch over parts of a signal (several workers)', () => {
  const signal = Float32Array.from({ length: 50_000 }, (_, i) => Math.sin(i * 0.05) + ((i * 7919) % 113) / 113);
  const params = { samplingRate: 1000, segment: 1024 };

  it('splits the segments into runs of whole segments that overlap as the segments do, leaving out the tail', () => {
    // 50,000 samples, segments of 1024 every 512: 96 segments, the last ending at 95 · 512 + 1024 = 49,664.
    const ranges = segmentRanges(50_000, 1024, 512, 3);
    expect(ranges).toEqual([
      { start: 0, end: 31 * 512 + 1024 },
      { start: 32 * 512, end: 63 * 512 + 1024 },
      { start: 64 * 512, end: 95 * 512 + 1024 },
    ]);
    expect(segmentRanges(1000, 1024, 512, 4)).toEqual([]); // shorter than a segment: one worker zero-pads it
    expect(segmentRanges(1024 + 512, 1024, 512, 4)).toHaveLength(2); // never more parts than segments
  });

  it('gives the whole signal\'s spectrum when the parts\' sums are added', () => {
    const whole = new WelchAccumulator(1, params);
    whole.push(signal);
    const expected = whole.finish();
    const merged = new WelchAccumulator(1, params);
    for (const { start, end } of segmentRanges(signal.length, 1024, merged.segmentStep, 3)) {
      const part = new WelchAccumulator(1, params);
      part.push(signal.subarray(start, end));
      merged.add(part.partial());
    }
    const got = merged.finish();
    expect(got.segments).toBe(expected.segments);
    got.values[0]!.forEach((value, bin) => expect(value).toBeCloseTo(expected.values[0]![bin]!, 12));
  });
});

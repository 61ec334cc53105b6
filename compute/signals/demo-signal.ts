/**
 * A deterministic test signal, for trying the app without data and for end-to-end tests that need to know the true
 * values: a slow chirp plus small pseudo-random noise per channel, with a spike every SPIKE_PERIOD samples (up on
 * channel 0, down on the others). Sample i of channel c is `demoValue(i, c)`, the same in every browser and in Node.
 */
export const SPIKE_PERIOD = 100_003;
export const SPIKE_HEIGHT = 8;

export function demoValue(index: number, channel: number): number {
  const phase = index * 0.0005 * (1 + index / 4_000_000) + channel * 0.7;
  const noise = (((Math.imul(index + 1, 2654435761) ^ Math.imul(channel + 1, 40503)) >>> 0) / 4294967296 - 0.5) * 0.2;
  const spike = index % SPIKE_PERIOD === SPIKE_PERIOD - 1 ? (channel === 0 ? SPIKE_HEIGHT : -SPIKE_HEIGHT) : 0;
  return Math.fround(Math.sin(phase) + noise + spike);
}

/** Samples [start, start + count) of `channels` channels, interleaved, as float32. */
export function demoSamples(start: number, count: number, channels: number): Float32Array<ArrayBuffer> {
  const out = new Float32Array(count * channels);
  for (let row = 0; row < count; row += 1) {
    for (let channel = 0; channel < channels; channel += 1) out[row * channels + channel] = demoValue(start + row, channel);
  }
  return out;
}

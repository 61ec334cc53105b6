import { encodeWav } from '../../compute/ingest/wav-encoder';

/** A 16-bit mono WAV of `samples` samples of a slow ramp, written in one go (large: its import takes seconds). */
export function bigWav(samples: number): Buffer {
  const header = Buffer.from(encodeWav([], { sampleRate: 48000 }));
  const data = Buffer.alloc(samples * 2);
  for (let index = 0; index < samples; index += 1) data.writeInt16LE((index % 60000) - 30000, index * 2);
  header.writeUInt32LE(36 + data.length, 4);
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}

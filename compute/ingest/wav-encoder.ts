/**
 * Writes a WAV file from interleaved samples in −1…1 — for tests, examples and exporting. `bits` 8/16/24/32 makes PCM
 * integers, `float: true` with 32/64 makes IEEE float; `extensible` uses WAVE_FORMAT_EXTENSIBLE.
 */
export function encodeWav(
  samples: ArrayLike<number>,
  { channels = 1, sampleRate = 48000, bits = 16, float = false, extensible = false }: { channels?: number; sampleRate?: number; bits?: number; float?: boolean; extensible?: boolean } = {},
): Uint8Array<ArrayBuffer> {
  const width = bits / 8;
  const fmtSize = extensible ? 40 : 16;
  const dataBytes = samples.length * width;
  const bytes = new Uint8Array(12 + 8 + fmtSize + 8 + dataBytes);
  const view = new DataView(bytes.buffer);
  const write = (at: number, text: string) => [...text].forEach((character, index) => view.setUint8(at + index, character.charCodeAt(0)));
  write(0, 'RIFF');
  view.setUint32(4, bytes.length - 8, true);
  write(8, 'WAVE');
  write(12, 'fmt ');
  view.setUint32(16, fmtSize, true);
  const code = float ? 3 : 1;
  view.setUint16(20, extensible ? 0xfffe : code, true);
  view.setUint16(22, channels, true);
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * channels * width, true);
  view.setUint16(32, channels * width, true);
  view.setUint16(34, bits, true);
  if (extensible) {
    view.setUint16(36, 22, true);
    view.setUint16(38, bits, true);
    view.setUint32(40, 0, true);
    view.setUint16(44, code, true);
  }
  const dataAt = 20 + fmtSize;
  write(dataAt, 'data');
  view.setUint32(dataAt + 4, dataBytes, true);
  let at = dataAt + 8;
  for (let index = 0; index < samples.length; index += 1, at += width) {
    const value = Math.max(-1, Math.min(1, samples[index] as number));
    if (float) {
      if (bits === 32) view.setFloat32(at, value, true);
      else view.setFloat64(at, value, true);
    } else if (bits === 8) view.setUint8(at, Math.round(value * 127) + 128);
    else if (bits === 16) view.setInt16(at, Math.round(value * 32767), true);
    else if (bits === 24) {
      const int = Math.round(value * 8388607);
      view.setUint8(at, int & 0xff);
      view.setUint8(at + 1, (int >> 8) & 0xff);
      view.setInt8(at + 2, int >> 16);
    } else view.setInt32(at, Math.round(value * 2147483647), true);
  }
  return bytes;
}

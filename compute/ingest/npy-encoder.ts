/**
 * The header of a .npy file as NumPy writes it — the magic, the version, the header length, then the dictionary padded
 * with spaces and a newline to a multiple of 64 bytes — for tests and examples. `shape` is the tuple as written
 * (`(3,)`, `(200, 3)`), so a test can also write shapes NumPy never would. Versions 2 and 3 have a 4-byte length.
 */
export function npyHeader(descr: string, shape: string, { version = 1, fortran = false }: { version?: 1 | 2 | 3; fortran?: boolean } = {}): Uint8Array<ArrayBuffer> {
  const prefix = version === 1 ? 10 : 12;
  let dict = `{'descr': '${descr}', 'fortran_order': ${fortran ? 'True' : 'False'}, 'shape': ${shape}, }`;
  dict += ' '.repeat((64 - ((prefix + dict.length + 1) % 64)) % 64) + '\n';
  const text = new TextEncoder().encode(dict);
  const head = new Uint8Array(prefix + text.length);
  head.set([0x93, ...new TextEncoder().encode('NUMPY'), version, 0]);
  const view = new DataView(head.buffer);
  if (version === 1) view.setUint16(8, text.length, true);
  else view.setUint32(8, text.length, true);
  head.set(text, prefix);
  return head;
}

/** How NumPy writes a shape tuple: `(5,)` for one dimension, `(200, 3)` for two. */
export function npyShape(dims: readonly (number | string)[]): string {
  return dims.length === 1 ? `(${dims[0]},)` : `(${dims.join(', ')})`;
}

// The wire format of attachments on a CouchDB remote: pieces and their names, and attachment bodies in base64.

/** Size of the pieces large attachments travel in (and are stored as on a CouchDB remote). */
export const PIECE_SIZE = 1024 * 1024;

/**
 * Large attachments travel, and live on a CouchDB remote, as pieces of PIECE_SIZE bytes named `<name>#<index>`
 * (`data#0`, `data#1`…), so that a range read or a sync touches only the pieces it needs and pouchdb-server (which has
 * no HTTP Range support) never sends a whole array. Other CouchDB clients read an attachment by concatenating its pieces
 * in index order.
 */
export function pieceName(attachment: string, index: number): string {
  return `${attachment}#${index}`;
}

/** Splits a wire name back into attachment name and piece index; undefined for names that are not pieces. */
export function parsePieceName(name: string): { attachment: string; index: number } | undefined {
  const at = name.lastIndexOf('#');
  if (at < 0) return undefined;
  const index = Number(name.slice(at + 1));
  if (!Number.isInteger(index) || index < 0 || String(index) !== name.slice(at + 1)) return undefined;
  return { attachment: name.slice(0, at), index };
}

/** How many pieces an attachment of `size` bytes has (at least one, so an empty attachment still exists). */
export function pieceCount(size: number): number {
  return Math.max(1, Math.ceil(size / PIECE_SIZE));
}

/** Groups wire names by attachment, pieces sorted by index. */
export function groupPieces(names: Iterable<string>): Map<string, { name: string; index: number }[]> {
  const groups = new Map<string, { name: string; index: number }[]>();
  for (const name of names) {
    const parsed = parsePieceName(name);
    if (!parsed) continue;
    const group = groups.get(parsed.attachment) ?? [];
    group.push({ name, index: parsed.index });
    groups.set(parsed.attachment, group);
  }
  for (const group of groups.values()) group.sort((a, b) => a.index - b.index);
  return groups;
}

/** Base64 of bytes, natively where the runtime has it (Uint8Array.toBase64 in browsers, Buffer in Node). */
export function toBase64(bytes: Uint8Array): string {
  const native = (bytes as Uint8Array & { toBase64?: () => string }).toBase64;
  if (native) return native.call(bytes);
  if (typeof Buffer !== 'undefined') return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
  let binary = '';
  for (let at = 0; at < bytes.length; at += 0x8000) binary += String.fromCharCode(...bytes.subarray(at, at + 0x8000));
  return btoa(binary);
}

import { CHUNK_SIZE } from './peer';

/**
 * Large attachments travel, and live on a CouchDB remote, as pieces of CHUNK_SIZE bytes named `<name>#<index>`
 * (`data#0`, `data#1`…), so that a range read or a sync touches only the pieces it needs and pouchdb-server (which has
 * no HTTP Range support) never sends a whole array. Other CouchDB clients read an attachment by concatenating its pieces
 * in index order.
 */
export function chunkName(attachment: string, index: number): string {
  return `${attachment}#${index}`;
}

/** Splits a wire name back into attachment name and piece index; undefined for names that are not pieces. */
export function parseChunkName(name: string): { attachment: string; index: number } | undefined {
  const at = name.lastIndexOf('#');
  if (at < 0) return undefined;
  const index = Number(name.slice(at + 1));
  if (!Number.isInteger(index) || index < 0 || String(index) !== name.slice(at + 1)) return undefined;
  return { attachment: name.slice(0, at), index };
}

/** How many pieces an attachment of `size` bytes has (at least one, so an empty attachment still exists). */
export function chunkCount(size: number): number {
  return Math.max(1, Math.ceil(size / CHUNK_SIZE));
}

/** Groups wire names by attachment, pieces sorted by index. */
export function groupChunks(names: Iterable<string>): Map<string, { name: string; index: number }[]> {
  const groups = new Map<string, { name: string; index: number }[]>();
  for (const name of names) {
    const parsed = parseChunkName(name);
    if (!parsed) continue;
    const group = groups.get(parsed.attachment) ?? [];
    group.push({ name, index: parsed.index });
    groups.set(parsed.attachment, group);
  }
  for (const group of groups.values()) group.sort((a, b) => a.index - b.index);
  return groups;
}

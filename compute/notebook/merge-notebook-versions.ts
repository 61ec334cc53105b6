import { canonicalJson } from '../../storage/replicate/hash';
import type { Doc } from '../../storage';
import { mergeCells } from './merge-cells';
import { notebookCells, withCells, type Cell } from './notebook-document';

const same = (a: unknown, b: unknown) => canonicalJson(a ?? null) === canonicalJson(b ?? null);

/**
 * A notebook edited on two devices while apart, merged from the version both had at their last sync (`base`): cells
 * and fields changed on one side only are taken from that side, cells added on either side are kept, a cell removed on
 * one side and left alone on the other goes. Undefined when the two cannot be merged without losing an edit — the
 * same cell or field changed differently on both sides, or a cell removed on one side and edited on the other: the
 * sync then lists the conflict for the user to choose. Only for Notebook documents (undefined for any other), and only
 * with the base version (undefined without it).
 */
export function mergeNotebookVersions(local: Doc, remote: Doc, base: Doc | undefined): Doc | undefined {
  if (!base || local['portal_type'] !== 'Notebook' || remote['portal_type'] !== 'Notebook') return undefined;
  const merged: Doc = {};
  for (const key of new Set([...Object.keys(local), ...Object.keys(remote)])) {
    if (key === 'cells' || key === 'text' || key === 'modification_date') continue;
    const value = mergeField(base[key], local[key], remote[key]);
    if (value === CONFLICT) return undefined;
    if (value !== undefined) merged[key] = value;
  }
  const dates = [local['modification_date'], remote['modification_date']].filter((date): date is string => typeof date === 'string').sort();
  if (dates.length > 0) merged['modification_date'] = dates.at(-1);
  const cells = mergeCellVersions(notebookCells(base), notebookCells(local), notebookCells(remote));
  return cells && withCells(merged, cells);
}

const CONFLICT = Symbol('conflict');

function mergeField(base: unknown, local: unknown, remote: unknown): unknown {
  if (same(local, remote)) return local;
  if (same(base, local)) return remote;
  if (same(base, remote)) return local;
  return CONFLICT;
}

function mergeCellVersions(base: Cell[], local: Cell[], remote: Cell[]): Cell[] | undefined {
  const byId = (cells: Cell[]) => new Map(cells.map((cell) => [cell.id, cell]));
  const [before, here, there] = [byId(base), byId(local), byId(remote)];
  for (const [id, original] of before) {
    const mine = here.get(id);
    const theirs = there.get(id);
    const changedHere = mine !== undefined && !same(original, mine);
    const changedThere = theirs !== undefined && !same(original, theirs);
    if (changedHere && changedThere && !same(mine, theirs)) return undefined; // both edited it, differently
    if ((mine === undefined && changedThere) || (theirs === undefined && changedHere)) return undefined; // removed and edited
  }
  return mergeCells(base, remote, local);
}

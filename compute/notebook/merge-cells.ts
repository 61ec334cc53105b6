import type { Cell } from './notebook-document';

function sameCell(a: Cell | undefined, b: Cell | undefined): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Merges the user's cells (`mine`, edited from `base`) with `current`, the version stored now (another tab or device
 * wrote meanwhile), cell by cell: a cell only the user changed is the user's, one only the other writer changed is
 * theirs, one both changed keeps the user's; cells added elsewhere are kept (after the cell they followed), and a cell
 * removed on one side and left as it was on the other goes. Order is the user's.
 */
export function mergeCells(base: readonly Cell[], current: readonly Cell[], mine: readonly Cell[]): Cell[] {
  const baseById = new Map(base.map((cell) => [cell.id, cell]));
  const currentById = new Map(current.map((cell) => [cell.id, cell]));
  const mineIds = new Set(mine.map((cell) => cell.id));
  const merged: Cell[] = [];
  for (const cell of mine) {
    const before = baseById.get(cell.id);
    const now = currentById.get(cell.id);
    const changedByMe = !sameCell(before, cell);
    if (before && !now && !changedByMe) continue; // removed elsewhere, untouched here
    merged.push(changedByMe || !now ? cell : now);
  }
  // Cells added elsewhere: after the cell that precedes them there (or first).
  current.forEach((cell, index) => {
    if (mineIds.has(cell.id) || baseById.has(cell.id)) return;
    const previous = current[index - 1];
    const at = previous ? merged.findIndex((candidate) => candidate.id === previous.id) : -1;
    merged.splice(at + 1, 0, cell);
  });
  return merged;
}

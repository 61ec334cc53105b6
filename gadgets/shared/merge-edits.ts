import type { Doc } from '../../storage';
import { textField } from './doc-fields';

/** Text fields a user changed on a page and has not saved yet, by field name. */
export type TextEdits = Readonly<Record<string, string>>;

export interface MergedEdits {
  /** The user's edits that still differ from the newer version (what is left to save on top of it). */
  edits: Record<string, string>;
  /** Fields both the user and the other writer changed, with the other writer's text (the user's is kept). */
  theirs: Record<string, string>;
}

/**
 * Merges a user's unsaved edits, made on `base`, with `current`, a newer version written meanwhile (another tab, a
 * sync): fields only the other writer changed are theirs (not in the edits), fields only the user changed stay the
 * user's, and a field both changed keeps the user's text and is reported in `theirs` so the page can show it.
 */
export function mergeEdits(base: Doc | undefined, current: Doc, edits: TextEdits): MergedEdits {
  const merged: MergedEdits = { edits: {}, theirs: {} };
  for (const [field, mine] of Object.entries(edits)) {
    const now = textField(current, field);
    if (now === mine) continue; // both made the same change: nothing left to save
    merged.edits[field] = mine;
    if (now !== textField(base, field)) merged.theirs[field] = now;
  }
  return merged;
}

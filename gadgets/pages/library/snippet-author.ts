// Who makes a version on this device: a name typed once and kept in Web Storage (the app has no accounts), so each
// version in a snippet's history says who made it.
import type { Authorship } from '../../../compute/library';

const KEY = 'fieldscope.author';
export const DEFAULT_AUTHOR = 'Anonymous';

export function authorName(): string {
  try {
    return localStorage.getItem(KEY)?.trim() || DEFAULT_AUTHOR;
  } catch {
    return DEFAULT_AUTHOR; // storage refused (private mode): versions still get made
  }
}

export function setAuthorName(name: string): void {
  try {
    localStorage.setItem(KEY, name.trim());
  } catch {
    // refused: the name is used for this version only
  }
}

/** Authorship of a version made now on this device. */
export function authorshipNow(): Authorship {
  return { author: authorName(), date: new Date().toISOString() };
}

// How often each snippet was used (run, inserted into a notebook, downloaded) on this device, for the "most used"
// order. Kept per device in Web Storage, not in the snippet: every tablet running a shipped snippet would otherwise
// edit the same document, and each sync would meet a conflict over a counter.

export interface SnippetUse {
  uses: number;
  /** ISO time of the last use; '' when never used. */
  last: string;
}

/** The part of Web Storage (`localStorage`) this needs. */
export type UsageStore = Pick<globalThis.Storage, 'getItem' | 'setItem'>;

const KEY = 'fieldscope.snippet-usage';

function read(store: UsageStore): Record<string, SnippetUse> {
  try {
    const parsed: unknown = JSON.parse(store.getItem(KEY) ?? '{}');
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, SnippetUse>) : {};
  } catch {
    return {}; // unreadable (edited by hand): counting starts again
  }
}

export function snippetUse(store: UsageStore, id: string): SnippetUse {
  const use = read(store)[id];
  return { uses: typeof use?.uses === 'number' ? use.uses : 0, last: typeof use?.last === 'string' ? use.last : '' };
}

export function recordSnippetUse(store: UsageStore, id: string, now = new Date().toISOString()): SnippetUse {
  const all = read(store);
  const next = { uses: snippetUse(store, id).uses + 1, last: now };
  all[id] = next;
  try {
    store.setItem(KEY, JSON.stringify(all));
  } catch {
    // storage full or refused: the order is a convenience, the use itself goes on
  }
  return next;
}

import { debounceTime, filter } from 'rxjs';
import { untilAborted, type Gadget } from '../core';
import { storageKey } from './keys';
import type { Change } from '../../storage';

/**
 * A service body (`this.service(followChanges(this, …))`) that calls `onChange` as documents change in the app's
 * storage — a sync, an import, another tab — while the gadget is on the page: only for the changes `pick` keeps, and
 * at most once per `debounceMs` when given (a burst of changes, one reload).
 */
export function followChanges(gadget: Gadget, onChange: () => void, { pick, debounceMs }: { pick?: (change: Change) => boolean; debounceMs?: number } = {}): (signal: AbortSignal) => Promise<void> {
  return async (signal) => {
    const storage = await gadget.acquireWith({ signal }, storageKey);
    let changes = storage.changes({ since: 'now', live: true });
    if (pick) changes = changes.pipe(filter(pick));
    if (debounceMs) changes = changes.pipe(debounceTime(debounceMs));
    const subscription = changes.subscribe(() => onChange());
    await untilAborted(signal);
    subscription.unsubscribe();
  };
}

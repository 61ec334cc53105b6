import { Observable, type Subscription } from 'rxjs';
import type { Change, ChangesOptions } from './types';

/**
 * Builds a storage's changes feed from what it has recorded (`readSince`, in sequence order) and a stream of new
 * changes as they happen (`newChanges`). In live mode the new changes are listened to before the recorded ones are
 * read, so nothing falls between the two; duplicates are skipped by sequence number.
 */
export function changeFeed(
  readSince: (since: number, signal: AbortSignal) => Promise<Change[]>,
  newChanges: Observable<Change>,
  { since, live = false }: ChangesOptions = {},
): Observable<Change> {
  return new Observable<Change>((subscriber) => {
    const controller = new AbortController();
    const fromNow = since === 'now';
    let last = typeof since === 'number' ? since : fromNow ? -Infinity : Number(since ?? 0) || 0;
    let caughtUp = false;
    const waiting: Change[] = [];
    const emit = (change: Change): void => {
      if ((change.seq as number) <= last) return;
      last = change.seq as number;
      subscriber.next(change);
    };
    let liveSubscription: Subscription | undefined;
    if (live) {
      liveSubscription = newChanges.subscribe((change) => (caughtUp ? emit(change) : waiting.push(change)));
    }
    (fromNow ? Promise.resolve([]) : readSince(last, controller.signal)).then(
      (changes) => {
        if (subscriber.closed) return;
        for (const change of changes) emit(change);
        if (!live) {
          subscriber.complete();
          return;
        }
        caughtUp = true;
        for (const change of waiting.splice(0)) emit(change);
      },
      (error: unknown) => subscriber.error(error),
    );
    return () => {
      controller.abort();
      liveSubscription?.unsubscribe();
    };
  });
}

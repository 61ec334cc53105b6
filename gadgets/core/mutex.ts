import { raceAbort, throwIfAborted } from './cancel';

/**
 * Serialises async calls in call order (renderJS `declareMethod(..., {mutex})`). Cancelling one call (its signal) only
 * removes that call: earlier calls go on running, later ones wait for it to settle as usual.
 */
export class Mutex {
  private tail: Promise<void> = Promise.resolve();

  /** Runs `fn` once every earlier call has settled. If `signal` aborts while waiting, `fn` never runs. */
  lock<T>(fn: (signal: AbortSignal) => Promise<T> | T, { signal }: { signal?: AbortSignal } = {}): Promise<T> {
    const previous = this.tail;
    let release!: () => void;
    this.tail = new Promise<void>((resolve) => (release = resolve));
    const own = signal ?? new AbortController().signal;
    const run = (async () => {
      try {
        // A cancelled waiter stops waiting at once, but keeps its place: the next call still waits for `previous`.
        await raceAbort(previous, own);
        throwIfAborted(own);
        return await fn(own);
      } finally {
        // Release only after the earlier calls settled, so order is kept even when this call was cancelled early.
        void previous.then(release);
      }
    })();
    return run;
  }
}

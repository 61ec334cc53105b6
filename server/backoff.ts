export { isTransientFailure as isTransient } from '../storage/remote/remote-error';

/** Waits `ms`, or less when `signal` aborts (resolves either way; the caller looks at the signal). */
export function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

/** The wait before try `failures + 1` after that many failures in a row: base · 2^failures, never more than `maxMs`. */
export function backoffMs(failures: number, baseMs: number, maxMs: number): number {
  return Math.min(maxMs, baseMs * 2 ** Math.min(failures, 30));
}

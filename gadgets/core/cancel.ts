/** The reason a gadget aborts a run: a DOMException named AbortError, as fetch and IndexedDB wrappers use. */
export function abortError(message = 'cancelled'): DOMException {
  return new DOMException(message, 'AbortError');
}

/** True for the errors cancellation produces (AbortError, or the reason a signal was aborted with). */
export function isAbortError(error: unknown): boolean {
  return (error instanceof DOMException || error instanceof Error) && (error.name === 'AbortError' || error.name === 'TimeoutError');
}

/** Rejects with the signal's reason if it is already aborted. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw reasonOf(signal);
}

/** The signal's abort reason as an AbortError-like value (never undefined). */
export function reasonOf(signal: AbortSignal): unknown {
  return signal.reason ?? abortError();
}

/**
 * Settles like `promise`, or rejects with the abort reason as soon as `signal` aborts (whichever comes first).
 * The abort listener is removed when the promise settles.
 */
export function raceAbort<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) {
    promise.catch(() => {}); // the loser's rejection is not an unhandled one
    return Promise.reject(reasonOf(signal));
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(reasonOf(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/** Waits `ms` milliseconds; rejects with the abort reason (and clears the timer) when `signal` aborts. */
/** Resolves when `signal` aborts (at once if it has): how a service waits for its gadget to leave the page. */
export function untilAborted(signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(reasonOf(signal));
    const onAbort = () => {
      clearTimeout(timer);
      reject(reasonOf(signal!));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Waits for the next animation frame; resolves with its timestamp. Cancels the frame request when `signal` aborts.
 * Where there is no requestAnimationFrame (a Worker), it falls back to a 16 ms timer.
 */
export function nextFrame(signal?: AbortSignal): Promise<number> {
  if (typeof requestAnimationFrame !== 'function') return sleep(16, signal).then(() => performance.now());
  return new Promise<number>((resolve, reject) => {
    if (signal?.aborted) return reject(reasonOf(signal));
    const onAbort = () => {
      cancelAnimationFrame(frame);
      reject(reasonOf(signal!));
    };
    const frame = requestAnimationFrame((time) => {
      signal?.removeEventListener('abort', onAbort);
      resolve(time);
    });
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** A signal aborted when any of `signals` aborts (undefined entries are ignored). */
export function anySignal(...signals: (AbortSignal | undefined)[]): AbortSignal {
  const present = signals.filter((signal): signal is AbortSignal => signal !== undefined);
  if (present.length === 1) return present[0]!;
  return AbortSignal.any(present);
}

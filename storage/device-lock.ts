/** What `whileHoldingLock` may be told. */
export interface DeviceLockOptions {
  /** Stops waiting for the lock (rejects with an AbortError); once held, `work` is expected to end on it. */
  signal?: AbortSignal;
  /** Called once when another tab or worker holds the lock, before waiting for it (say so on the page). */
  onWaiting?: () => void;
}

/**
 * Runs `work` holding the Web Lock `name`, shared by every tab and worker of the app on this device: one holder at a
 * time, the others wait their turn, and a closed or crashed tab releases it. Where Web Locks are missing (Node: tests
 * and tools), `work` runs at once. Resolves to what `work` resolves to.
 */
export async function whileHoldingLock<T>(name: string, work: () => Promise<T>, { signal, onWaiting }: DeviceLockOptions = {}): Promise<T> {
  signal?.throwIfAborted();
  const locks = typeof navigator === 'undefined' ? undefined : navigator.locks;
  if (!locks) return work();
  if (onWaiting) {
    // Asked without waiting first, only to learn whether someone else has it.
    const now = await locks.request(name, { ifAvailable: true }, async (lock) => (lock ? { value: await work() } : undefined));
    if (now) return now.value;
    onWaiting();
  }
  return locks.request(name, signal ? { signal } : {}, () => work());
}

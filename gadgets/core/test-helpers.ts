// Shared by the browser tests of gadgets/core (not exported from index.ts).
let counter = 0;

/** Defines `cls` under a fresh tag name (tests define many small gadget classes) and returns the tag. */
export function define(cls: CustomElementConstructor, prefix = 'test-gadget'): string {
  const tag = `${prefix}-${++counter}-${Math.random().toString(36).slice(2, 7)}`;
  customElements.define(tag, cls);
  return tag;
}

/** A promise with its resolve/reject exposed. */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (error: unknown) => void } {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Resolves when `predicate` holds, checking every few ms; fails after `timeout` ms (bounded wait, not a timing assertion). */
export async function until(predicate: () => boolean, timeout = 5000): Promise<void> {
  const end = Date.now() + timeout;
  while (!predicate()) {
    if (Date.now() > end) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Settles outstanding microtasks and one macrotask. */
export function tick(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

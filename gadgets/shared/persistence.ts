/**
 * Asks the browser, once per page load, to keep this origin's data (navigator.storage.persist). Chromium and Safari answer
 * without a prompt, from engagement heuristics; Firefox asks the user. Field data that is not synced yet must not be evicted,
 * so the app asks at start; the settings page shows the answer and warns when it is no.
 */
export type Persistence = 'persisted' | 'refused' | 'unsupported';

let request: Promise<Persistence> | undefined;

export function requestPersistence(): Promise<Persistence> {
  request ??= (async () => {
    const storage = globalThis.navigator?.storage;
    if (!storage?.persist) return 'unsupported';
    if (await storage.persisted()) return 'persisted';
    return (await storage.persist()) ? 'persisted' : 'refused';
  })().catch(() => 'unsupported' as const);
  return request;
}

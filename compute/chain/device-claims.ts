import type { Storage } from '../../storage';
import { CouchClient } from '../../storage/remote/couch-client';
import { CouchStorage } from '../../storage/remote/couch-storage';
import type { ChainClaims } from './claimed-step';
import { readChainSettings } from './chain-settings';
import { serverWorkersKnown } from './server-workers';

/** How long a server's "workers run here" answer is trusted before asking again. */
const KNOWN_FOR_MS = 60_000;

/**
 * The claims of this device's chain (see ChainRunnerOptions.claims), from its sync remotes and chain settings, looked
 * up before each step so a remote added or a setting changed takes effect at once: claims go to the first remote
 * (the one the device syncs with first); no remote, no claims (a device on its own).
 */
export function deviceClaims(registry: Storage, state: Storage): () => Promise<ChainClaims | undefined> {
  const known = new Map<string, { at: number; value: boolean }>();
  return async () => {
    const { rows } = await registry.allDocs({ query: 'kind:="remote"', include_docs: true, sort_on: [['added', 'ascending']] });
    const url = rows[0]?.doc?.['url'];
    if (typeof url !== 'string') return undefined;
    const settings = await readChainSettings(state);
    const client = new CouchClient({ url: new URL(url, self.location.href).href, timeoutMs: 10_000 });
    return {
      remote: new CouchStorage(client),
      worker: settings.device,
      leaveHeavy: async () => (await readChainSettings(state)).leaveHeavyToServer,
      serverWorkersKnown: async () => {
        const cached = known.get(url);
        if (cached && Date.now() - cached.at < KNOWN_FOR_MS) return cached.value;
        const value = await serverWorkersKnown(client);
        known.set(url, { at: Date.now(), value });
        return value;
      },
    };
  };
}

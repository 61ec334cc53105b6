import { BehaviorSubject, debounceTime, filter, map, type Subscription } from 'rxjs';
import { IndexedDBStorage } from '../indexeddb/indexeddb-storage';
import { CouchClient } from '../remote/couch-client';
import { RemoteError } from '../remote/remote-error';
import { isStorageError } from '../storage-error';
import type { Storage } from '../types';
import { CacheStorage } from '../cache/cache-storage';
import { UnionStorage } from '../union/union-storage';
import { RemoteReadStorage } from '../remote/remote-read-storage';
import { CHUNK_SIZE, type PeerDoc } from '../replicate/peer';
import { CouchPeer } from '../replicate/couch-peer';
import { Replicator, type SyncProgress } from '../replicate/replicator';
import { StoragePeer } from '../replicate/storage-peer';
import { StorageSyncState } from '../replicate/storage-sync-state';
import type { SyncConflict, SyncRefusal } from '../replicate/sync-state';

/** A server to sync with. No password is kept: a signed-in remote relies on the browser's session cookie. */
export interface RemoteConfig {
  id: string;
  /** The database URL, e.g. `/db/fieldscope` (the local sync server, same origin) or `https://host/db/fieldscope`. */
  url: string;
  title: string;
  user?: string;
  added: string;
}

export type SyncState = 'none' | 'idle' | 'syncing' | 'offline' | 'paused' | 'error';

export interface SyncStatus {
  state: SyncState;
  /** What is happening or what went wrong, in words for the user. */
  message: string;
  /** Local changes not yet sent. */
  pending: number;
  /** Conflicts waiting for a choice, over all remotes. */
  conflicts: number;
  /** Documents a server refused (listed on the Conflicts page; tried again at every sync). */
  refused: number;
  /** ISO time of the last successful sync. */
  lastSync?: string;
  progress?: SyncProgress;
  /** When the next try is due after a failure (ms since the epoch). */
  retryAt?: number;
}

export interface SyncManagerOptions {
  /** Name of the IndexedDB database keeping remotes and sync state (never replicated). Default 'fieldscope-sync'. */
  stateName?: string;
  /** How often a remote is asked for its changes while online. Default 30 s. */
  pollMs?: number;
  /** Quiet time after a local change before it is sent. Default 2 s. */
  debounceMs?: number;
  /**
   * Documents whose attachments total at most this many bytes come with their data; larger ones (long arrays) bring
   * only their metadata unless pinned ("Keep offline"), and their data is read by range from the remote. Default 16 MiB.
   */
  keepOfflineBytes?: number;
  /** Bytes of remote data kept in the read cache. Default 64 MiB. */
  cacheBytes?: number;
}

/**
 * Keeps the app's storage in sync with its remotes: when the app starts online, when the browser comes back online,
 * shortly after local changes, and periodically for remote changes. Failures are retried with exponential backoff and
 * jitter; nothing local is touched by a failed sync. `status` says what is going on.
 */
export class SyncManager {
  readonly status = new BehaviorSubject<SyncStatus>({ state: 'none', message: 'No remote yet: add one on the Remotes page.', pending: 0, conflicts: 0, refused: 0 });
  private readonly registry: IndexedDBStorage;
  private readonly stateName: string;
  private readonly pollMs: number;
  private readonly debounceMs: number;
  private readonly replicators = new Map<string, Replicator>();
  private readonly readers = new Map<string, Storage>();
  /** Documents whose data is larger come by sync without it unless kept offline (pinned). */
  readonly keepOfflineBytes: number;
  /** Where remote data read by range is cached (never replicated), and its size bound. */
  private readonly readCache: Storage;
  private readonly cacheBytes: number;
  private failures = 0;
  private wake: (() => void) | undefined;
  private paused = false;

  constructor(
    private readonly local: Storage,
    { stateName = 'fieldscope-sync', pollMs = 30_000, debounceMs = 2000, keepOfflineBytes = 16 * 1024 * 1024, cacheBytes = 64 * 1024 * 1024 }: SyncManagerOptions = {},
  ) {
    this.stateName = stateName;
    this.registry = new IndexedDBStorage({ name: stateName });
    this.pollMs = pollMs;
    this.debounceMs = debounceMs;
    this.keepOfflineBytes = keepOfflineBytes;
    this.readCache = new IndexedDBStorage({ name: `${stateName}-cache` });
    this.cacheBytes = cacheBytes;
  }

  /**
   * Reads data this device does not keep from the remotes (the first that has it), by range, through a cache: what
   * `RemoteFallbackStorage` falls back to. Undefined without remotes.
   */
  readonly remoteReader = async (): Promise<Storage | undefined> => {
    const remotes = await this.remotes();
    if (remotes.length === 0) return undefined;
    return new UnionStorage(remotes.map((remote) => this.reader(remote)));
  };

  /**
   * Keeps a document's data on this device ("Keep offline"), fetching it now, or stops keeping updates of it (what was
   * fetched stays). Resolves when the data is here.
   */
  async pin(id: string, pinned: boolean): Promise<void> {
    for (const remote of await this.remotes()) await this.replicator(remote).pin(id, pinned);
  }

  /**
   * Frees this device of a document's data, which stays on the sync server and is read from it as it is viewed (see
   * `Replicator.release`). Needs exactly one remote: with several, each would have to hold all of it. Resolves to the
   * bytes freed.
   */
  async release(id: string): Promise<number> {
    const remotes = await this.remotes();
    if (remotes.length !== 1) throw new Error(`Freeing space needs exactly one sync server; this device syncs with ${remotes.length}.`);
    return this.replicator(remotes[0]!).release(id);
  }

  /** Whether `release` would free the document's data now: one remote, which has all of it as it is here. */
  async releasable(id: string): Promise<boolean> {
    const remotes = await this.remotes();
    return remotes.length === 1 && this.replicator(remotes[0]!).releasable(id);
  }

  /** Whether the document is pinned for offline use with any remote. */
  async isPinned(id: string): Promise<boolean> {
    for (const remote of await this.remotes()) if ((await this.replicator(remote).state.listPinned({})).has(id)) return true;
    return false;
  }

  async remotes(): Promise<RemoteConfig[]> {
    const { rows } = await this.registry.allDocs({ query: 'kind:="remote"', include_docs: true, sort_on: [['added', 'ascending']] });
    return rows.map((row) => row.doc as unknown as RemoteConfig);
  }

  /** Saves a remote (verify it first with verifyRemote) and syncs with it at once. */
  async addRemote(remote: Omit<RemoteConfig, 'id' | 'added'>): Promise<RemoteConfig> {
    const config: RemoteConfig = { ...remote, id: crypto.randomUUID(), added: new Date().toISOString() };
    await this.registry.put(`remote:${config.id}`, { kind: 'remote', ...config });
    this.syncSoon();
    return config;
  }

  async removeRemote(id: string): Promise<void> {
    await this.registry.remove(`remote:${id}`).catch((error: unknown) => {
      if (!isStorageError(error, 404)) throw error;
    });
    this.replicators.delete(id);
    this.readers.delete(id);
    await this.refreshConflicts();
    this.setStatus((await this.remotes()).length === 0 ? { state: 'none', message: 'No remote yet: add one on the Remotes page.' } : {});
  }

  /** Ends the remote's session (CouchDB `_session`): syncing with it needs a new sign-in; nothing local changes. */
  async signOut(id: string): Promise<void> {
    const remote = (await this.remotes()).find((candidate) => candidate.id === id);
    if (!remote) return;
    await new CouchClient({ url: remote.url }).logout();
    const { user: _signedOut, ...rest } = remote;
    await this.registry.put(`remote:${id}`, { kind: 'remote', ...rest });
  }

  /** Open conflicts of every remote, with the remote they belong to. */
  async conflicts(): Promise<(SyncConflict & { target: RemoteConfig })[]> {
    const found: (SyncConflict & { target: RemoteConfig })[] = [];
    for (const remote of await this.remotes()) {
      for (const conflict of await this.replicator(remote).conflicts()) found.push({ ...conflict, target: remote });
    }
    return found;
  }

  /** Documents a remote refused (its validation rules, permissions), with the remote and its reason. */
  async refusals(): Promise<(SyncRefusal & { target: RemoteConfig })[]> {
    const found: (SyncRefusal & { target: RemoteConfig })[] = [];
    for (const remote of await this.remotes()) {
      for (const refusal of await this.replicator(remote).refusals()) found.push({ ...refusal, target: remote });
    }
    return found;
  }

  async resolve(remoteId: string, id: string, choice: 'local' | 'remote' | 'both'): Promise<void> {
    const remote = (await this.remotes()).find((candidate) => candidate.id === remoteId);
    if (!remote) throw new Error('This remote was removed.');
    await this.replicator(remote).resolve(id, choice);
    await this.refreshConflicts();
  }

  pause(paused: boolean): void {
    this.paused = paused;
    this.setStatus(paused ? { state: 'paused', message: 'Sync is paused: changes stay on this device.' } : { state: 'idle', message: '' });
    if (!paused) this.syncSoon();
  }

  /** Asks for a sync now (also used by "Sync now"); resolves when that round is over. */
  syncSoon(): void {
    this.failures = 0;
    this.wake?.();
  }

  /** One round with every remote. Rejects with the first failure (after trying all). */
  async syncOnce({ signal }: { signal?: AbortSignal } = {}): Promise<void> {
    const remotes = await this.remotes();
    if (remotes.length === 0) {
      this.setStatus({ state: 'none', message: 'No remote yet: add one on the Remotes page.' });
      return;
    }
    if (typeof navigator !== 'undefined' && navigator.onLine === false) {
      this.setStatus({ state: 'offline', message: 'Offline: your changes stay on this device and sync when the network is back.' });
      return;
    }
    const pendingAtStart = this.status.value.pending;
    this.setStatus({ state: 'syncing', message: 'Syncing…' });
    let failure: unknown;
    for (const remote of remotes) {
      try {
        await this.replicator(remote).sync({ ...(signal ? { signal } : {}), onProgress: (progress) => this.setStatus({ progress, message: `Syncing with ${remote.title}: ${progress.docs} documents` }) });
      } catch (error) {
        if (signal?.aborted) throw error;
        failure ??= error;
      }
    }
    await this.refreshConflicts();
    if (failure) throw failure;
    const refused = this.status.value.refused;
    const message = refused === 0 ? 'Up to date.' : `Up to date, except ${refused} document${refused === 1 ? '' : 's'} the server refused: see Conflicts.`;
    this.setStatus({ state: 'idle', message, lastSync: new Date().toISOString(), pending: Math.max(0, this.status.value.pending - pendingAtStart), progress: undefined });
  }

  /**
   * Runs live sync until `signal` aborts: a round at start and whenever woken (local changes, coming online, "Sync
   * now", the poll timer); after a failure, waits 2 s · 2^n (at most 5 min) × a random 0.5–1.5 before the next try.
   */
  async run(signal: AbortSignal): Promise<void> {
    const subscriptions: Subscription[] = [];
    const wakeUp = () => this.wake?.();
    const network = typeof window === 'undefined' ? undefined : window; // Node (tests, tools) has no online events
    network?.addEventListener('online', wakeUp);
    network?.addEventListener('offline', wakeUp);
    try {
      subscriptions.push(await this.watchLocalChanges());
      await this.refreshConflicts().catch(() => undefined);
      while (!signal.aborted) {
        let delay = this.pollMs;
        if (!this.paused) {
          try {
            await this.syncOnce({ signal });
            this.failures = 0;
          } catch (error) {
            if (signal.aborted) break;
            this.failures += 1;
            delay = Math.min(300_000, 2000 * 2 ** (this.failures - 1)) * (0.5 + Math.random());
            this.setStatus({ state: 'error', message: `${describeFailure(error)} Next try in ${Math.round(delay / 1000)} s.`, retryAt: Date.now() + delay, progress: undefined });
          }
        }
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, delay);
          this.wake = () => {
            clearTimeout(timer);
            resolve();
          };
          signal.addEventListener('abort', () => this.wake?.(), { once: true });
        });
        this.wake = undefined;
      }
    } finally {
      network?.removeEventListener('online', wakeUp);
      network?.removeEventListener('offline', wakeUp);
      for (const subscription of subscriptions) subscription.unsubscribe();
    }
  }

  /** Counts local changes as pending and wakes the loop after a quiet moment. */
  private async watchLocalChanges(): Promise<Subscription> {
    return this.local
      .changes({ since: 'now', live: true })
      .pipe(
        filter(() => this.status.value.state !== 'syncing'), // the replicator's own writes are not user changes
        map(() => this.setStatus({ pending: this.status.value.pending + 1 })),
        debounceTime(this.debounceMs),
      )
      .subscribe(() => this.wake?.());
  }

  private replicator(remote: RemoteConfig): Replicator {
    let replicator = this.replicators.get(remote.id);
    if (!replicator) {
      replicator = new Replicator({
        local: new StoragePeer(this.local, { name: 'fieldscope' }),
        remote: new CouchPeer(new CouchClient({ url: remote.url }), { label: remote.title }),
        state: new StorageSyncState(new IndexedDBStorage({ name: `${this.stateName}-${remote.id}` })),
        pullChunks: (doc, pinned) => pinned || pieceBytes(doc) <= this.keepOfflineBytes,
      });
      this.replicators.set(remote.id, replicator);
    }
    return replicator;
  }

  private reader(remote: RemoteConfig): Storage {
    let reader = this.readers.get(remote.id);
    if (!reader) {
      // Blocks the size of the remote's pieces: each cached block is one piece request.
      reader = new CacheStorage(new RemoteReadStorage(new CouchClient({ url: remote.url })), this.readCache, { blockSize: CHUNK_SIZE, maxBytes: this.cacheBytes });
      this.readers.set(remote.id, reader);
    }
    return reader;
  }

  /** Counts open conflicts and refused documents over every remote, for the status. */
  private async refreshConflicts(): Promise<void> {
    let conflicts = 0;
    let refused = 0;
    for (const remote of await this.remotes()) {
      const replicator = this.replicator(remote);
      conflicts += (await replicator.conflicts()).length;
      refused += (await replicator.refusals()).length;
    }
    this.setStatus({ conflicts, refused });
  }

  private setStatus(change: Partial<SyncStatus>): void {
    this.status.next({ ...this.status.value, ...change });
  }
}

function pieceBytes(doc: PeerDoc): number {
  return Object.values(doc.chunks).reduce((sum, chunk) => sum + chunk.length, 0);
}

function describeFailure(error: unknown): string {
  if (error instanceof RemoteError) {
    if (error.status === 0) return 'The sync server cannot be reached: your changes stay on this device.';
    return error.message;
  }
  return `Sync failed: ${error instanceof Error ? error.message : String(error)}.`;
}

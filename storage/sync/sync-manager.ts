import { BehaviorSubject, debounceTime, filter, map, type Subscription } from 'rxjs';
import { whileHoldingLock } from '../device-lock';
import { IndexedDBStorage } from '../indexeddb/indexeddb-storage';
import { CouchClient } from '../remote/couch-client';
import { maskCredentials } from '../remote/mask-credentials';
import { RemoteError } from '../remote/remote-error';
import { isStorageError, StorageError } from '../storage-error';
import type { Storage } from '../types';
import { CacheStorage } from '../cache/cache-storage';
import { UnionStorage } from '../union/union-storage';
import { RemoteReadStorage } from '../remote/remote-read-storage';
import { type PeerDoc } from '../replicate/peer';
import { PIECE_SIZE } from '../remote/pieces';
import { CouchPeer } from '../replicate/couch-peer';
import { Replicator, type DocumentMerge, type SyncProgress } from '../replicate/replicator';
import { StoragePeer } from '../replicate/storage-peer';
import { StorageSyncState } from '../replicate/storage-sync-state';
import type { SyncConflict, SyncRefusal } from '../replicate/sync-state';
import { signIn } from './verify-remote';
import { parseQuery } from '../query/query-parser';
import { matchesQuery } from '../query/query-match';
import { SYNC_STATE_NAME } from './registry-name';

/** A server to sync with. No password is kept: a signed-in remote relies on the browser's session cookie. */
export interface RemoteConfig {
  id: string;
  /** The database URL, e.g. `/db/fieldscope` (the local sync server, same origin) or `https://host/db/fieldscope`. */
  url: string;
  title: string;
  user?: string;
  added: string;
  /** Partial sync: the documents this device takes from the remote (all when absent). See `setSubset`. */
  subset?: RemoteSubset;
}

/**
 * Which remote documents a device takes: of these types (the modules' portal types), and/or matching a query in the
 * app's query language (e.g. `experiment:="shot-42"`). Documents already on the device and those made on it sync anyway.
 */
export interface RemoteSubset {
  portal_types?: string[];
  query?: string;
}

/** 'elsewhere': another tab of the app on this device runs the sync (for this tab's changes too). */
export type SyncState = 'none' | 'idle' | 'syncing' | 'offline' | 'paused' | 'error' | 'elsewhere';

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
  /** Remotes (ids) that refused the last sync for want of a signed-in user, or were signed out: they need "Sign in". */
  signIn: string[];
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
  /** Merges documents changed on two devices, for the types it knows (see ReplicatorOptions.merge). */
  merge?: DocumentMerge;
}

const NO_REMOTE = 'No remote yet: add one on the Remotes page.';
const ELSEWHERE = 'Another Fieldscope tab on this device is syncing, this tab’s changes included. Close it to sync from this one.';

/**
 * Keeps the app's storage in sync with its remotes: when the app starts online, when the browser comes back online,
 * shortly after local changes, and periodically for remote changes. Failures are retried with exponential backoff and
 * jitter; nothing local is touched by a failed sync. `status` says what is going on.
 * One tab syncs at a time: `run` holds a Web Lock for as long as it runs, so with the app open in several tabs one of
 * them syncs (it sees the others' changes through the storage's change broadcast) and another takes over when it
 * closes; the rest show state 'elsewhere'. Every round and every other replicator operation (keep offline, free
 * space, settling a conflict) takes a second lock, so two tabs never replicate at the same moment.
 */
export class SyncManager {
  readonly status = new BehaviorSubject<SyncStatus>({ state: 'none', message: NO_REMOTE, pending: 0, conflicts: 0, refused: 0, signIn: [] });
  private readonly registry: IndexedDBStorage;
  private readonly stateName: string;
  private readonly pollMs: number;
  private readonly debounceMs: number;
  private readonly replicators = new Map<string, Replicator>();
  private readonly readers = new Map<string, Storage>();
  /** Documents whose data is larger come by sync without it unless kept offline (pinned). */
  readonly keepOfflineBytes: number;
  private readonly merge: DocumentMerge | undefined;
  /** Where remote data read by range is cached (never replicated), and its size bound. */
  private readonly readCache: Storage;
  private readonly cacheBytes: number;
  private failures = 0;
  private wake: (() => void) | undefined;
  private paused = false;
  /** Whether another tab runs the sync loop (this one waits to take over). */
  private following = false;
  /** Held by the tab running the sync loop. */
  private readonly loopLock: string;
  /** Held by one replication at a time, whichever tab runs it. */
  private readonly roundLock: string;
  /** Tells the other tabs of a finished round, so a waiting tab shows when the device last synced. */
  private readonly rounds: BroadcastChannel | undefined;

  constructor(
    private readonly local: Storage,
    { stateName = SYNC_STATE_NAME, pollMs = 30_000, debounceMs = 2000, keepOfflineBytes = 16 * 1024 * 1024, cacheBytes = 64 * 1024 * 1024, merge }: SyncManagerOptions = {},
  ) {
    this.merge = merge;
    this.stateName = stateName;
    this.loopLock = `fieldscope-sync:${stateName}`;
    this.roundLock = `fieldscope-sync-round:${stateName}`;
    if (typeof BroadcastChannel !== 'undefined') {
      this.rounds = new BroadcastChannel(`fieldscope-sync-rounds:${stateName}`);
      this.rounds.onmessage = (event: MessageEvent<Pick<SyncStatus, 'lastSync' | 'conflicts'>>) => {
        if (this.following && !this.paused) this.setStatus({ state: 'elsewhere', message: ELSEWHERE, lastSync: event.data.lastSync, conflicts: event.data.conflicts });
      };
    }
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
    await this.exclusive(async () => {
      for (const remote of await this.remotes()) await this.replicator(remote).pin(id, pinned);
    });
  }

  /**
   * Frees this device of a document's data, which stays on the sync server and is read from it as it is viewed (see
   * `Replicator.release`). Needs exactly one remote: with several, each would have to hold all of it. Resolves to the
   * bytes freed.
   */
  async release(id: string): Promise<number> {
    const remotes = await this.remotes();
    if (remotes.length !== 1) throw new Error(`Freeing space needs exactly one sync server; this device syncs with ${remotes.length}.`);
    return this.exclusive(() => this.replicator(remotes[0]!).release(id));
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
    this.needsSignIn(id, false);
    await this.refreshConflicts();
    this.setStatus((await this.remotes()).length === 0 ? { state: 'none', message: NO_REMOTE } : {});
  }

  /**
   * Chooses which of the remote's documents this device takes (undefined: all). A bad query is refused (400) before
   * anything changes. The next sync reads the remote's changes from the start, so a wider choice brings what it adds;
   * what is already here stays and keeps syncing.
   */
  async setSubset(id: string, subset: RemoteSubset | undefined): Promise<void> {
    const query = subset?.query?.trim();
    if (query) parseQuery(query);
    const types = subset?.portal_types?.filter((type) => type !== '');
    const chosen: RemoteSubset | undefined = query || types?.length ? { ...(types?.length ? { portal_types: types } : {}), ...(query ? { query } : {}) } : undefined;
    await this.registry.update(`remote:${id}`, (current) => {
      if (!current) throw new StorageError(404, 'This remote is gone: add it again.');
      const { subset: _old, ...rest } = current;
      return chosen ? { ...rest, subset: chosen } : rest;
    });
    this.replicators.delete(id);
    this.syncSoon();
  }

  /** Ends the remote's session (CouchDB `_session`): syncing with it needs a new sign-in; nothing local changes. */
  async signOut(id: string): Promise<void> {
    const remote = (await this.remotes()).find((candidate) => candidate.id === id);
    if (!remote) return;
    await new CouchClient({ url: remote.url }).logout();
    // Only the user is forgotten, whatever else another tab changed in the remote meanwhile; removed: nothing to do.
    await this.registry.update(`remote:${id}`, (current) => {
      if (!current) return undefined;
      const { user: _signedOut, ...rest } = current;
      return rest;
    });
    this.needsSignIn(id, true);
  }

  /**
   * Signs in to a remote again (its session ended, or it was signed out) with CouchDB's `_session`: the browser keeps
   * the cookie, the password is used once and kept nowhere. Syncs at once; rejects when the name or password is refused.
   */
  async signIn(id: string, name: string, password: string, { signal }: { signal?: AbortSignal } = {}): Promise<RemoteConfig> {
    const remote = (await this.remotes()).find((candidate) => candidate.id === id);
    if (!remote) throw new Error('This remote was removed.');
    const user = await signIn(new CouchClient({ url: remote.url }), name, password, signal);
    await this.registry.update(`remote:${id}`, (current) => {
      if (!current) throw new StorageError(404, 'This remote was removed.');
      return { ...current, user };
    });
    this.needsSignIn(id, false);
    this.syncSoon();
    return { ...remote, user };
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
    await this.exclusive(() => this.replicator(remote).resolve(id, choice));
    await this.refreshConflicts();
  }

  pause(paused: boolean): void {
    this.paused = paused;
    this.setStatus(paused ? PAUSED : { state: 'idle', message: '' });
    if (!paused) this.syncSoon();
  }

  /**
   * Asks for a sync now (also used by "Sync now"). In a tab where another one runs the sync, this tab runs one
   * round itself, after the other's round.
   */
  syncSoon(): void {
    this.failures = 0;
    if (this.wake) this.wake();
    else if (this.following && !this.paused) void this.syncOnce().then(
      () => this.follow(),
      (error: unknown) => this.setStatus({ state: 'error', message: describeFailure(error), progress: undefined }),
    );
  }

  /** One round with every remote. Rejects with the first failure (after trying all). */
  async syncOnce({ signal }: { signal?: AbortSignal } = {}): Promise<void> {
    const remotes = await this.remotes();
    if (remotes.length === 0) {
      this.setStatus({ state: 'none', message: NO_REMOTE });
      return;
    }
    if (typeof navigator !== 'undefined' && navigator.onLine === false) {
      this.setStatus({ state: 'offline', message: 'Offline: your changes stay on this device and sync when the network is back.' });
      return;
    }
    const pendingAtStart = this.status.value.pending;
    this.setStatus({ state: 'syncing', message: 'Syncing…' });
    const failure = await this.exclusive(async () => {
      let first: unknown;
      for (const remote of remotes) {
        try {
          await this.replicator(remote).sync({ ...(signal ? { signal } : {}), onProgress: (progress) => this.setStatus({ progress, message: `Syncing with ${remote.title}: ${progress.docs} documents` }) });
          this.needsSignIn(remote.id, false);
        } catch (error) {
          if (signal?.aborted) throw error;
          if (error instanceof RemoteError && error.status === 401) this.needsSignIn(remote.id, true);
          first ??= error;
        }
      }
      return first;
    }, signal);
    await this.refreshConflicts();
    if (failure) throw failure;
    const refused = this.status.value.refused;
    const upToDate = refused === 0 ? 'Up to date.' : `Up to date, except ${refused} document${refused === 1 ? '' : 's'} the server refused: see Conflicts.`;
    // A pause pressed while this round ran holds: the round's end must not show sync as running again.
    this.setStatus({ ...(this.paused ? PAUSED : { state: 'idle', message: upToDate }), lastSync: new Date().toISOString(), pending: Math.max(0, this.status.value.pending - pendingAtStart), progress: undefined });
    const { lastSync, conflicts } = this.status.value;
    this.rounds?.postMessage({ lastSync, conflicts });
  }

  /**
   * Runs live sync until `signal` aborts: a round at start and whenever woken (local changes, coming online, "Sync
   * now", the poll timer); after a failure, waits 2 s · 2^n (at most 5 min) × a random 0.5–1.5 before the next try.
   */
  async run(signal: AbortSignal): Promise<void> {
    await whileHoldingLock(this.loopLock, () => this.loop(signal), { signal, onWaiting: () => void this.follow() }).catch((error: unknown) => {
      if (!signal.aborted) throw error; // stopped while waiting for the other tab: nothing to undo
    });
  }

  /** While another tab runs the sync: say so (or that there is nothing to sync with). */
  private async follow(): Promise<void> {
    this.following = true;
    const remotes = await this.remotes();
    await this.refreshConflicts().catch(() => undefined);
    if (!this.following || this.paused) return;
    this.setStatus(remotes.length === 0 ? { state: 'none', message: NO_REMOTE, progress: undefined } : { state: 'elsewhere', message: ELSEWHERE, progress: undefined });
  }

  private async loop(signal: AbortSignal): Promise<void> {
    this.following = false;
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
            this.setStatus(this.paused ? { ...PAUSED, progress: undefined } : { state: 'error', message: `${describeFailure(error)} Next try in ${Math.round(delay / 1000)} s.`, retryAt: Date.now() + delay, progress: undefined });
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

  /** Runs a replication holding the round lock: one at a time on the device, whichever tab asks. */
  private exclusive<T>(work: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    return whileHoldingLock(this.roundLock, work, signal ? { signal } : {});
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
        ...(this.merge ? { merge: this.merge } : {}),
        ...(remote.subset ? { subset: subsetFilter(remote.subset) } : {}),
      });
      this.replicators.set(remote.id, replicator);
    }
    return replicator;
  }

  private reader(remote: RemoteConfig): Storage {
    let reader = this.readers.get(remote.id);
    if (!reader) {
      // Blocks the size of the remote's pieces: each cached block is one piece request.
      reader = new CacheStorage(new RemoteReadStorage(new CouchClient({ url: remote.url })), this.readCache, { blockSize: PIECE_SIZE, maxBytes: this.cacheBytes });
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

  private needsSignIn(id: string, needed: boolean): void {
    const others = this.status.value.signIn.filter((candidate) => candidate !== id);
    if (needed || others.length !== this.status.value.signIn.length) this.setStatus({ signIn: needed ? [...others, id] : others });
  }

  private setStatus(change: Partial<SyncStatus>): void {
    this.status.next({ ...this.status.value, ...change });
  }
}

const PAUSED: Pick<SyncStatus, 'state' | 'message'> = { state: 'paused', message: 'Sync is paused: changes stay on this device.' };

function pieceBytes(doc: PeerDoc): number {
  return Object.values(doc.chunks).reduce((sum, chunk) => sum + chunk.length, 0);
}

function describeFailure(error: unknown): string {
  if (error instanceof RemoteError) {
    if (error.status === 0) return 'The sync server cannot be reached: your changes stay on this device.';
    return error.message;
  }
  return `Sync failed: ${maskCredentials(error instanceof Error ? error.message : String(error))}.`;
}

/** The replicator's filter for a subset: a remote document's type is among the chosen ones and it matches the query. */
function subsetFilter(subset: RemoteSubset): { key: string; wants: (doc: PeerDoc) => boolean } {
  const types = subset.portal_types?.length ? new Set(subset.portal_types) : undefined;
  const node = subset.query ? parseQuery(subset.query) : undefined;
  return {
    key: JSON.stringify([[...(types ?? [])].sort(), subset.query ?? '']),
    wants: (doc) => (!types || types.has(String(doc.body?.['portal_type']))) && (!node || matchesQuery(node, doc.body ?? {})),
  };
}

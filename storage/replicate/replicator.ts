import { canonicalJson } from './hash';
import { groupPieces } from '../remote/pieces';
import { RemoteError } from '../remote/remote-error';
import type { PeerPiece, PeerDoc, PeerWrite, Refusal, ReplicationPeer, Seq, Version } from './peer';
import type { Signature, SyncConflict, SyncRefusal, SyncStateStore } from './sync-state';

/**
 * What happens when a document changed on both sides since the last sync.
 * - `report` (default): each side keeps its version (the local one stays visible here), the conflict is listed until
 *   someone chooses with `resolve()`; nothing is overwritten.
 * - `keep-local` / `keep-remote`: that version wins on both sides.
 * - `keep-both`: the local version wins under the document's id, the remote version is kept as a new document
 *   `<id>~conflict-<version>` on both sides.
 */
export type ConflictPolicy = 'report' | 'keep-local' | 'keep-remote' | 'keep-both';

export interface ReplicatorOptions {
  local: ReplicationPeer;
  remote: ReplicationPeer;
  state: SyncStateStore;
  /** Default 'report'. */
  policy?: ConflictPolicy;
  /** Changes per batch (one changes request, one read, one bulk write, one checkpoint). Default 500. */
  batchSize?: number;
  /**
   * Whether a remote document's attachment pieces are downloaded. Default: only pinned documents' (see `pin`);
   * metadata (the JSON body) always syncs, local pieces are always pushed, and a document whose pieces are already on
   * this device keeps them up to date. Pieces not downloaded stay on the remote (read them by range there).
   */
  pullChunks?: (doc: PeerDoc, pinned: boolean) => boolean;
  /**
   * Merges a document changed on both sides, for the document types it knows (a notebook's cells merged cell by cell
   * from `base`, a snippet's two histories): the merged body goes to both sides and no conflict is listed. `base` is
   * the version both sides had at the last sync, when a side still holds it (CouchDB keeps old revisions' bodies).
   * Undefined leaves the document to the policy. Asked only when neither side deleted it and it has no attachment pieces.
   */
  merge?: DocumentMerge;
  /**
   * Partial sync: which remote documents this device takes. The others stay on the server, never written here (their
   * bodies are read once, as the changes feed lists them, to decide). A document already here keeps syncing whatever
   * it becomes, and everything made here is pushed. `key` names the choice: a new one starts the pull from the
   * beginning, so documents a wider choice takes arrive.
   */
  subset?: { key: string; wants: (doc: PeerDoc) => boolean };
}

type Body = Record<string, unknown>;
/** Two versions of one document (this device's, the remote's; `base`: the last agreed one, if known) as one body, or undefined. */
export type DocumentMerge = (local: Body, remote: Body, base: Body | undefined) => Body | undefined | Promise<Body | undefined>;

export interface SyncProgress {
  direction: 'pull' | 'push';
  /** Documents handled so far in this sync (both directions). */
  docs: number;
  /** Chunk bytes moved so far. */
  bytes: number;
  batches: number;
}

export interface SyncReport {
  pulled: number;
  pushed: number;
  /** Deletions among pulled + pushed. */
  deleted: number;
  conflicts: number;
  /** Conflicts among them merged (see ReplicatorOptions.merge): nothing listed, both sides hold the merge. */
  merged: number;
  /** Documents the target refused this round (listed by `refusals()`, tried again at the next sync). */
  refused: number;
  chunks: number;
  bytes: number;
  /** Batches processed (each followed by a checkpoint). */
  batches: number;
}

type Side = 'local' | 'remote';

/** Pieces read ahead while one is being written. */
const PREFETCH = 3;

/**
 * Documents whose pieces are copied at the same time: while one side is busy with one document's pieces (the server
 * hashing and storing a push, this device storing a pull), the next document's requests are already under way. Memory
 * holds two documents' writes in flight.
 */
const PARALLEL_COPIES = 2;

/**
 * Two-way, incremental, resumable replication between two peers. Each direction follows its source's changes feed from a
 * checkpoint kept in the state store AND on the remote (`_local` docs), in batches; after each batch the checkpoint moves,
 * so a sync killed mid-way resends at most that batch, and resent writes are recognised (equal content) instead of
 * duplicated or reported as conflicts. Per document the state keeps the version seen on each side at the last sync
 * (its signature): a side whose version differs has changed; both changed is a conflict handled by the policy.
 */
export class Replicator {
  readonly local: ReplicationPeer;
  readonly remote: ReplicationPeer;
  readonly state: SyncStateStore;
  policy: ConflictPolicy;
  private readonly batchSize: number;
  private readonly pullChunks: (doc: PeerDoc, pinned: boolean) => boolean;
  private readonly merge: DocumentMerge | undefined;
  private readonly subset: ReplicatorOptions['subset'];
  private running: Promise<SyncReport> | undefined;

  constructor({ local, remote, state, policy = 'report', batchSize = 500, pullChunks = (_doc, pinned) => pinned, merge, subset }: ReplicatorOptions) {
    this.merge = merge;
    this.subset = subset;
    this.local = local;
    this.remote = remote;
    this.state = state;
    this.policy = policy;
    this.batchSize = batchSize;
    this.pullChunks = pullChunks;
  }

  /**
   * One sync round: pull remote changes, then push local ones. A call while a round runs joins that round.
   * Rejects with the peer's error (RemoteError for the network) and leaves everything consistent for the next try.
   */
  sync({ signal, onProgress }: { signal?: AbortSignal; onProgress?: (progress: SyncProgress) => void } = {}): Promise<SyncReport> {
    if (this.running) return this.running;
    const run = this.round(signal, onProgress).finally(() => {
      if (this.running === run) this.running = undefined;
    });
    this.running = run;
    return run;
  }

  /** Conflicts waiting for a choice (policy 'report'). */
  conflicts({ signal }: { signal?: AbortSignal } = {}): Promise<SyncConflict[]> {
    return this.state.listConflicts({ signal });
  }

  /** Documents a side refused (with its reason), tried again at every sync until they go. */
  refusals({ signal }: { signal?: AbortSignal } = {}): Promise<SyncRefusal[]> {
    return this.state.listRefusals({ signal });
  }

  /**
   * Settles a listed conflict: `local` or `remote` makes that version win on both sides (a deleted version deletes);
   * `both` keeps the local one under the id and the remote one as a new document. Reads both sides afresh, so a version
   * changed since it was listed is what wins.
   */
  async resolve(id: string, choice: 'local' | 'remote' | 'both', { signal }: { signal?: AbortSignal } = {}): Promise<void> {
    const [localDoc, remoteDoc] = await Promise.all([this.readOne(this.local, id, signal), this.readOne(this.remote, id, signal)]);
    const signature = (await this.state.getSignatures([id], { signal })).get(id);
    await this.settle(id, choice === 'remote' ? 'keep-remote' : choice === 'both' ? 'keep-both' : 'keep-local', localDoc, remoteDoc, signature, signal);
    await this.state.removeConflict(id, { signal });
  }

  /** Keeps (or stops keeping) a document's attachment pieces on this device; takes effect at the next sync of it. */
  async pin(id: string, pinned: boolean, { signal }: { signal?: AbortSignal } = {}): Promise<void> {
    await this.state.setPinned(id, pinned, { signal });
    if (pinned) {
      // Fetch the pieces now rather than waiting for the document to change remotely.
      const remoteDoc = await this.readOne(this.remote, id, signal);
      const localDoc = await this.readOne(this.local, id, signal);
      const signature = (await this.state.getSignatures([id], { signal })).get(id);
      if (!remoteDoc.deleted && !localDoc.deleted && signature && signature.remote === remoteDoc.version) {
        const next = await this.copyChunks(id, remoteDoc, this.remote, this.local, localDoc.version, signature, 'remote', signal);
        await this.state.putSignatures([[id, next.signature]], { signal });
      }
    }
  }

  /**
   * Frees this device of a document's data ("stop keeping offline"): once every piece here is on the remote as it is
   * here, the pieces are removed from this device and the document stays, as a large one arrives by sync — its data
   * read by range from the remote, kept offline again by `pin`. Refused when this device has changes of the document
   * the remote does not (sync first). Resolves to the bytes freed.
   */
  async release(id: string, { signal }: { signal?: AbortSignal } = {}): Promise<number> {
    while (this.running) await this.running.catch(() => undefined); // not in the middle of a round that copies its pieces
    await this.state.setPinned(id, false, { signal });
    const held = await this.heldOnRemote(id, signal);
    if (held === 'nothing') return 0;
    if (held === 'not-yet') throw new Error('This data has changes the sync server does not have yet: sync first, then free the space.');
    const { doc, signature } = held;
    const [result] = await this.local.write([{ id, expected: doc.version, body: doc.body ?? {}, keepChunks: {} }], { signal });
    if (!result?.ok) throw new Error('The document changed meanwhile: try again.');
    const remoteOnly = Object.entries(signature.chunks ?? {}).filter(([, [, remote]]) => remote !== '');
    await this.state.putSignatures([[id, { ...signature, local: result.version, chunks: Object.fromEntries(remoteOnly.map(([name, [, remote]]) => [name, ['', remote]])) }]], { signal });
    return Object.values(doc.chunks).reduce((sum, piece) => sum + piece.length, 0);
  }

  /** Whether the remote has all of a document's data that is here, as it is here (so `release` would free it). */
  async releasable(id: string, { signal }: { signal?: AbortSignal } = {}): Promise<boolean> {
    return typeof (await this.heldOnRemote(id, signal)) === 'object';
  }

  /** The document here and its signature when the remote holds every piece here as it is; else why not. */
  private async heldOnRemote(id: string, signal: AbortSignal | undefined): Promise<{ doc: PeerDoc; signature: Signature } | 'nothing' | 'not-yet'> {
    const doc = await this.readOne(this.local, id, signal);
    const signature = (await this.state.getSignatures([id], { signal })).get(id);
    const pieces = Object.entries(doc.chunks);
    if (doc.deleted || pieces.length === 0) return 'nothing';
    const onRemote = ([name, piece]: [string, PeerPiece]) => signature?.chunks?.[name]?.[0] === piece.digest && signature.chunks[name]![1] !== '';
    return signature?.local === doc.version && pieces.every(onRemote) ? { doc, signature } : 'not-yet';
  }

  private async round(signal: AbortSignal | undefined, onProgress: ((progress: SyncProgress) => void) | undefined): Promise<SyncReport> {
    const report: SyncReport = { pulled: 0, pushed: 0, deleted: 0, conflicts: 0, merged: 0, refused: 0, chunks: 0, bytes: 0, batches: 0 };
    const [localId, remoteId] = await Promise.all([this.local.identity({ signal }), this.remote.identity({ signal })]);
    const key = `fieldscope-sync-${hashKey(`${localId}\n${remoteId}`)}`;
    await this.pass('remote', this.subset ? `${key}-pull-${hashKey(this.subset.key)}` : `${key}-pull`, report, signal, onProgress);
    await this.pass('local', `${key}-push`, report, signal, onProgress);
    return report;
  }

  /** Follows one side's changes feed to its end, batch by batch, copying changes to the other side. */
  private async pass(source: Side, key: string, report: SyncReport, signal: AbortSignal | undefined, onProgress: ((progress: SyncProgress) => void) | undefined): Promise<void> {
    const from = this.peer(source);
    const direction = source === 'remote' ? 'pull' : 'push';
    // Documents refused before are tried again first (the server's rules or the user's rights may have changed):
    // the feed moved past them, so that one refused document never holds back the others.
    const refused = new Set((await this.state.listRefusals({ signal })).filter((refusal) => refusal.direction === direction).map((refusal) => refusal.id));
    if (refused.size > 0) await this.transfer(new Map([...refused].map((id) => [id, undefined])), source, report, refused, signal);
    // Checkpoints live on both sides: if the remote lost its copy (database recreated) we start over, since its
    // sequence numbers (pull) or its data (push) no longer match what we remember.
    const [mine, theirs] = await Promise.all([this.state.getCheckpoint(key, { signal }), this.remote.readCheckpoint(key, { signal })]);
    let since: Seq | undefined = mine !== undefined && theirs !== undefined && String(mine) === String(theirs) ? mine : undefined;
    for (;;) {
      signal?.throwIfAborted();
      const { changes, lastSeq } = await from.changes(since, this.batchSize, { signal });
      if (changes.length === 0) break;
      // A feed that does not move on would hand out the same batch forever.
      if (lastSeq === undefined || (since !== undefined && String(lastSeq) === String(since))) {
        throw new RemoteError(502, 'bad_response', `The changes feed (_changes) of ${from.label} did not move past position ${String(since ?? 'start')}: check the server; sync will retry.`);
      }
      // The latest version each document's changes made, where the feed tells.
      const versions = new Map<string, string | undefined>();
      for (const change of changes) versions.set(change.id, change.version);
      await this.transfer(versions, source, report, refused, signal);
      since = lastSeq;
      await this.state.putCheckpoint(key, since, { signal });
      await this.remote.writeCheckpoint(key, since, { signal });
      report.batches++;
      onProgress?.({ direction, docs: report.pulled + report.pushed, bytes: report.bytes, batches: report.batches });
      if (changes.length < this.batchSize) break;
    }
  }

  /**
   * Copies one batch of changed documents from `source` to the other side. Every document is handled before this
   * resolves (written, found unchanged, listed as a conflict or as refused), so the checkpoint may move past the batch.
   * `refused` holds the ids listed as refused in this direction; those that go now are taken off the list.
   */
  private async transfer(versions: Map<string, string | undefined>, source: Side, report: SyncReport, refused: Set<string>, signal: AbortSignal | undefined): Promise<void> {
    const target: Side = source === 'local' ? 'remote' : 'local';
    const direction = source === 'remote' ? 'pull' : 'push';
    const from = this.peer(source);
    const to = this.peer(target);
    const changed = [...versions.keys()];
    const [signatures, pinned, open] = await Promise.all([
      this.state.getSignatures(changed, { signal }),
      this.state.listPinned({ signal }),
      this.state.listConflicts({ signal }),
    ]);
    // Our own writes echoing back (the feed's version is the one we made) need not be read.
    const ids = changed.filter((id) => versions.get(id) === undefined || versions.get(id) !== (signatures.get(id)?.[source] ?? ''));
    if (ids.length === 0) return;
    const docs = await readAll(from, ids, signal);
    const waiting = new Set(open.map((conflict) => conflict.id)); // listed conflicts wait for a choice (resolve)
    const writes: PeerWrite[] = [];
    const sources: PeerDoc[] = [];
    const settled: string[] = []; // listed as refused, but nothing to send any more
    for (const id of ids) {
      const doc = docs.get(id)!;
      const signature = signatures.get(id);
      const skip =
        doc.version === (signature?.[source] ?? '') || // unchanged since the last sync (or our own write echoing back)
        (doc.deleted && !signature) || // created and deleted between two syncs: nothing to propagate
        id.startsWith('_design/') || // server-side code is not app data
        (source === 'remote' && !signature && this.subset !== undefined && !this.subset.wants(doc)) || // not for this device
        waiting.has(id);
      if (skip) {
        if (refused.has(id)) settled.push(id);
        continue;
      }
      writes.push({ id, expected: signature?.[target] ?? '', body: doc.deleted ? null : (doc.body ?? {}), keepChunks: keptChunks(doc, signature, source) });
      sources.push(doc);
    }
    for (const id of settled) await this.forgetRefusal(id, direction, refused, signal);
    if (writes.length === 0) return;
    const results = await to.write(writes, { signal });
    const updates: [string, Signature | undefined][] = [];
    const conflicted: PeerDoc[] = [];
    const copies: (() => Promise<void>)[] = [];
    const unfinished = new Set<number>(); // updates whose pieces did not all arrive: their old signature stays
    const accepted: [string, number][] = []; // listed as refused before, written now (pieces permitting)
    for (let index = 0; index < writes.length; index++) {
      const result = results[index]!;
      const doc = sources[index]!;
      if (!result.ok) {
        if ('refused' in result) await this.refuse(doc.id, direction, result.refused, refused, report, signal);
        else conflicted.push(doc);
        continue;
      }
      const signature = makeSignature(source, doc.version, result.version, carriedChunks(doc, signatures.get(doc.id), source));
      const at = updates.push([doc.id, signature]) - 1;
      if (!doc.deleted && this.wantsChunks(doc, source, pinned, signatures.get(doc.id))) {
        copies.push(async () => {
          try {
            const copied = await this.copyChunks(doc.id, doc, from, to, result.version, signature, source, signal);
            updates[at] = [doc.id, copied.signature];
            report.chunks += copied.chunks;
            report.bytes += copied.bytes;
          } catch (error) {
            unfinished.add(at);
            const refusal = refusalOf(error);
            if (!refusal) throw error;
            await this.refuse(doc.id, direction, refusal, refused, report, signal);
          }
        });
      } else if (!doc.deleted) {
        updates[at] = [doc.id, { ...signature, chunks: remoteOnly(doc) }];
      }
      if (refused.has(doc.id)) accepted.push([doc.id, at]);
      if (source === 'remote') report.pulled++;
      else report.pushed++;
      if (doc.deleted) report.deleted++;
    }
    // Documents whose pieces all arrived keep their new signatures even when another one's copy failed; an
    // unfinished one is found again at the next sync (its target moved on: the conflict path below finishes it).
    const failure = await runLimited(copies, PARALLEL_COPIES);
    await this.state.putSignatures(updates.filter((_, at) => !unfinished.has(at)), { signal });
    for (const [id, at] of accepted) if (!unfinished.has(at)) await this.forgetRefusal(id, direction, refused, signal);
    if (failure) throw failure.error;
    if (conflicted.length === 0) return;
    // The target changed too, or a write of ours was cut short (sync killed after the write, before the signature;
    // pieces not all there): equal content is recognised, and what is missing is copied.
    const current = await readAll(to, conflicted.map((doc) => doc.id), signal);
    for (const doc of conflicted) {
      const other = current.get(doc.id)!;
      const signature = signatures.get(doc.id);
      const same = await this.sameContent(doc, other, source, signature, signal);
      if (same) {
        let next = makeSignature(source, doc.version, other.version, same);
        if (!doc.deleted && this.wantsChunks(doc, source, pinned, signature)) {
          const copied = await this.copyChunks(doc.id, doc, from, to, other.version, next, source, signal);
          next = copied.signature;
          report.chunks += copied.chunks;
          report.bytes += copied.bytes;
        } else if (!doc.deleted) {
          next = { ...next, chunks: { ...remoteOnly(doc), ...same } };
        }
        await this.state.putSignatures([[doc.id, next]], { signal });
        if (refused.has(doc.id)) await this.forgetRefusal(doc.id, direction, refused, signal);
        continue;
      }
      const localDoc = source === 'local' ? doc : other;
      const remoteDoc = source === 'local' ? other : doc;
      report.conflicts++;
      try {
        if (await this.merged(doc.id, localDoc, remoteDoc, signature, signal)) {
          report.merged++;
          continue;
        }
        await this.settle(doc.id, this.policy, localDoc, remoteDoc, signature, signal);
      } catch (error) {
        const refusal = refusalOf(error); // the winner refused by the other side: listed, the batch goes on
        if (!refusal) throw error;
        await this.refuse(doc.id, direction, refusal, refused, report, signal);
      }
    }
  }

  /** Lists a document the target refused (the batch goes on without it). */
  private async refuse(id: string, direction: 'push' | 'pull', refusal: Refusal, refused: Set<string>, report: SyncReport, signal: AbortSignal | undefined): Promise<void> {
    report.refused++;
    refused.add(id);
    await this.state.putRefusal({ id, direction, status: refusal.status, reason: refusal.reason, detected: new Date().toISOString() }, { signal });
  }

  private async forgetRefusal(id: string, direction: 'push' | 'pull', refused: Set<string>, signal: AbortSignal | undefined): Promise<void> {
    refused.delete(id);
    await this.state.removeRefusal(id, direction, { signal });
  }

  /**
   * Whether a document that the target has changed as well holds the same content as the source's: the same body
   * and, piece by piece, the same bytes. A target piece still as it was at the last sync, or missing, is a copy of ours
   * cut short, not an edit. Resolves to the pieces found equal (their digests on each side), or undefined when the
   * versions differ (a conflict). Bytes are only compared where digests cannot tell, one piece at a time.
   */
  private async sameContent(doc: PeerDoc, other: PeerDoc, source: Side, signature: Signature | undefined, signal: AbortSignal | undefined): Promise<Record<string, [string, string]> | undefined> {
    if (doc.deleted || other.deleted) return doc.deleted && other.deleted ? {} : undefined;
    if (canonicalJson(doc.body ?? {}) !== canonicalJson(other.body ?? {})) return undefined;
    const sourceAt = source === 'local' ? 0 : 1;
    const targetAt = 1 - sourceAt;
    const known = signature?.chunks ?? {};
    const unchangedOnTarget = (name: string) => other.chunks[name] !== undefined && known[name]?.[targetAt] === other.chunks[name].digest;
    for (const name of Object.keys(other.chunks)) if (!doc.chunks[name] && !unchangedOnTarget(name)) return undefined; // added there
    const equal: Record<string, [string, string]> = {};
    for (const [name, piece] of Object.entries(doc.chunks)) {
      const theirs = other.chunks[name];
      if (!theirs) continue; // not copied yet
      if (unchangedOnTarget(name)) {
        if (known[name]?.[sourceAt] === piece.digest) equal[name] = known[name]!; // as at the last sync on both sides
        continue; // else: changed here only, to be copied
      }
      if (theirs.length !== piece.length) return undefined;
      const [mine, yours] = await Promise.all([this.peer(source).readChunk(doc.id, name, { signal }), this.peer(source === 'local' ? 'remote' : 'local').readChunk(doc.id, name, { signal })]);
      if (!sameBytes(new Uint8Array(await mine.arrayBuffer()), new Uint8Array(await yours.arrayBuffer()))) return undefined;
      equal[name] = source === 'local' ? [piece.digest, theirs.digest] : [theirs.digest, piece.digest];
    }
    return equal;
  }

  /** Merges a conflict with `merge` from the last agreed version, writing the merge to both sides; false when it cannot. */
  private async merged(id: string, localDoc: PeerDoc, remoteDoc: PeerDoc, signature: Signature | undefined, signal: AbortSignal | undefined): Promise<boolean> {
    if (!this.merge || localDoc.deleted || remoteDoc.deleted) return false;
    if (Object.keys(localDoc.chunks).length > 0 || Object.keys(remoteDoc.chunks).length > 0) return false;
    const base = signature && ((await this.remote.readVersion?.(id, signature.remote, { signal })) ?? (await this.local.readVersion?.(id, signature.local, { signal })));
    const body = await this.merge(localDoc.body ?? {}, remoteDoc.body ?? {}, base);
    if (!body) return false;
    const [local] = await this.local.write([{ id, expected: localDoc.version, body, keepChunks: {} }], { signal });
    if (!local?.ok) throw new Error(`${id} changed again while it was being merged: sync again.`);
    const [remote] = await this.remote.write([{ id, expected: remoteDoc.version, body, keepChunks: {} }], { signal });
    if (remote && !remote.ok && 'refused' in remote) throw new RemoteError(remote.refused.status, 'forbidden', `The ${this.remote.label} side refused ${id}: ${remote.refused.reason}.`, remote.refused.reason);
    // Not written there: this side now holds the merge, a change the next sync merges again from the same base.
    if (!remote?.ok) throw new Error(`${id} changed again while it was being merged: sync again.`);
    await this.state.putSignatures([[id, makeSignature('local', local.version, remote.version, {})]], { signal });
    await this.state.removeConflict(id, { signal });
    return true;
  }

  /** Applies a conflict policy to one document whose two versions are known. */
  private async settle(id: string, policy: ConflictPolicy, localDoc: PeerDoc, remoteDoc: PeerDoc, signature: Signature | undefined, signal: AbortSignal | undefined): Promise<void> {
    if (policy === 'report') {
      const conflict: SyncConflict = {
        id,
        local: { version: localDoc.version, deleted: localDoc.deleted, body: localDoc.body },
        remote: { version: remoteDoc.version, deleted: remoteDoc.deleted, body: remoteDoc.body },
        detected: new Date().toISOString(),
      };
      await this.state.putConflict(conflict, { signal });
      return;
    }
    if (policy === 'keep-both' && !remoteDoc.deleted && !localDoc.deleted) {
      const copyId = `${id}~conflict-${remoteDoc.version.replace(/[^A-Za-z0-9-]/g, '').slice(0, 16)}`;
      const [written] = await this.local.write([{ id: copyId, expected: '', body: remoteDoc.body ?? {}, keepChunks: {} }], { signal });
      if (!written?.ok) throw new Error(`Could not keep the remote version of ${id} as ${copyId}: it already exists. Sync again.`);
    }
    const winner: Side = policy === 'keep-remote' ? 'remote' : 'local';
    const loser: Side = winner === 'local' ? 'remote' : 'local';
    const win = winner === 'local' ? localDoc : remoteDoc;
    const lose = winner === 'local' ? remoteDoc : localDoc;
    const to = this.peer(loser);
    if (win.deleted && lose.deleted) {
      await this.state.putSignatures([[id, makeSignature(winner, win.version, lose.version, {})]], { signal });
      return;
    }
    // Pieces the losing side changed since the last sync are its version's too: they are replaced by the winner's.
    const base = withoutChangedPieces(signature, lose, loser);
    const [result] = await to.write([{ id, expected: lose.version, body: win.deleted ? null : (win.body ?? {}), keepChunks: keptChunks(win, base, winner) }], { signal });
    if (result && !result.ok && 'refused' in result) throw new RemoteError(result.refused.status, 'forbidden', `The ${to.label} side refused ${id}: ${result.refused.reason}.`, result.refused.reason);
    if (!result?.ok) throw new Error(`${id} changed again while its conflict was being settled: sync again.`);
    let next = makeSignature(winner, win.version, result.version, carriedChunks(win, base, winner));
    if (!win.deleted && this.wantsChunks(win, winner, await this.state.listPinned({ signal }), base)) {
      next = (await this.copyChunks(id, win, this.peer(winner), to, result.version, next, winner, signal)).signature;
    } else if (!win.deleted) {
      next = { ...next, chunks: remoteOnly(win) };
    }
    await this.state.putSignatures([[id, next]], { signal });
    await this.state.removeConflict(id, { signal });
  }

  private wantsChunks(doc: PeerDoc, source: Side, pinned: Set<string>, signature: Signature | undefined): boolean {
    if (source === 'local') return true;
    const keptHere = Object.values(signature?.chunks ?? {}).some(([local]) => local !== '');
    return keptHere || this.pullChunks(doc, pinned.has(doc.id));
  }

  /** Copies the pieces that changed since the signature, one at a time; returns the new signature. */
  private async copyChunks(
    id: string,
    doc: PeerDoc,
    from: ReplicationPeer,
    to: ReplicationPeer,
    targetVersion: Version,
    signature: Signature,
    source: Side,
    signal: AbortSignal | undefined,
  ): Promise<{ signature: Signature; chunks: number; bytes: number }> {
    const index = source === 'local' ? 0 : 1;
    const known = signature.chunks ?? {};
    // A piece is copied when it changed at the source or the target does not hold it (not downloaded before pinning).
    const changed = Object.entries(doc.chunks)
      .filter(([name, chunk]) => known[name]?.[index] !== chunk.digest || !known[name]?.[1 - index])
      .sort(([a], [b]) => compareChunkNames(a, b));
    if (changed.length === 0) return { signature, chunks: 0, bytes: 0 };
    let bytes = 0;
    // Reading piece i starts the reads of the next few, so the network and the target's writes overlap; memory holds
    // at most PREFETCH pieces ahead.
    const reads = new Map<number, Promise<Blob>>();
    const start = (at: number) => {
      if (at >= changed.length || reads.has(at)) return;
      const read = from.readChunk(id, changed[at]![0], { signal });
      read.catch(() => undefined); // a failure surfaces when this piece is asked for
      reads.set(at, read);
    };
    const version = await to.writeChunks(
      id,
      targetVersion,
      changed.map(([name, chunk], at) => ({
        name,
        contentType: chunk.contentType,
        read: async () => {
          for (let ahead = at; ahead <= at + PREFETCH; ahead += 1) start(ahead);
          const blob = await reads.get(at)!;
          reads.delete(at);
          // A piece that is not the size its side announced (an answer ended early) is never stored as it.
          if (blob.size !== chunk.length) throw new RemoteError(502, 'bad_response', `Piece ${changed[at]![0]} of ${id} came with ${blob.size} bytes instead of ${chunk.length}: sync will retry.`);
          bytes += blob.size;
          return blob;
        },
      })),
      doc.chunks,
      { signal },
    );
    // Learn the target's digests for these pieces so that the next change on that side is compared piece by piece.
    const after = (await to.read([id], { signal })).get(id);
    const chunks: Record<string, [string, string]> = {};
    for (const [name, chunk] of Object.entries(doc.chunks)) {
      const theirs = after?.chunks[name]?.digest ?? '';
      chunks[name] = index === 0 ? [chunk.digest, theirs] : [theirs, chunk.digest];
    }
    const target: Side = source === 'local' ? 'remote' : 'local';
    const next: Signature = { ...signature, [target]: after?.version ?? version, chunks };
    return { signature: next, chunks: changed.length, bytes };
  }

  private async readOne(peer: ReplicationPeer, id: string, signal: AbortSignal | undefined): Promise<PeerDoc> {
    return (await peer.read([id], { signal })).get(id) ?? { id, deleted: true, version: '', chunks: {} };
  }

  private peer(side: Side): ReplicationPeer {
    return side === 'local' ? this.local : this.remote;
  }
}

/** Runs the tasks, at most `limit` at a time; waits for all of them even when one fails; resolves to the first failure. */
async function runLimited(tasks: (() => Promise<void>)[], limit: number): Promise<{ error: unknown } | undefined> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (next < tasks.length && !failure) {
      const task = tasks[next++]!;
      try {
        await task();
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return failure;
}

/** A side's current state of these documents, every one of them (a side that leaves one out fails the batch). */
async function readAll(peer: ReplicationPeer, ids: string[], signal: AbortSignal | undefined): Promise<Map<string, PeerDoc>> {
  const docs = await peer.read(ids, { signal });
  const missing = ids.find((id) => !docs.has(id));
  if (missing !== undefined) throw new RemoteError(502, 'bad_response', `The ${peer.label} side did not say what it holds of document ${missing}: sync will retry.`);
  return docs;
}

/** A failure that concerns one document only (the side refused it), as opposed to the network or the whole side. */
function refusalOf(error: unknown): Refusal | undefined {
  if (!(error instanceof RemoteError) || ![400, 401, 403, 413].includes(error.status)) return undefined;
  return { status: error.status, reason: error.reason ?? error.message };
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let index = 0; index < a.length; index++) if (a[index] !== b[index]) return false;
  return true;
}

function makeSignature(source: Side, sourceVersion: Version, targetVersion: Version, chunks: Record<string, [string, string]>): Signature {
  return source === 'local' ? { local: sourceVersion, remote: targetVersion, chunks } : { local: targetVersion, remote: sourceVersion, chunks };
}

/**
 * Which of the target's pieces a body write must keep: all it has per the signature, except pieces of attachments the
 * source now has fewer pieces of (a shortened or rewritten attachment). A source without an attachment's pieces (not
 * pinned here) keeps the target's.
 */
function keptChunks(doc: PeerDoc, signature: Signature | undefined, source: Side): Record<string, string> {
  if (doc.deleted || !signature?.chunks) return {};
  const index = source === 'local' ? 1 : 0;
  const sourceGroups = groupPieces(Object.keys(doc.chunks));
  return Object.fromEntries(
    Object.entries(signature.chunks)
      .filter(([name, digests]) => {
        if (!digests[index]) return false;
        const at = name.lastIndexOf('#');
        const group = sourceGroups.get(name.slice(0, at));
        return !group || group.some((piece) => piece.name === name);
      })
      .map(([name, digests]) => [name, digests[index]]),
  );
}

/**
 * Signature pieces of a remote document whose pieces were not downloaded: known on the remote, absent here (''), so
 * that a later push keeps them there and pinning fetches them.
 */
function remoteOnly(doc: PeerDoc): Record<string, [string, string]> {
  return Object.fromEntries(Object.entries(doc.chunks).map(([name, chunk]) => [name, ['', chunk.digest]]));
}

/** The signature without the pieces `side` changed (or dropped) since: they are no longer what both sides share. */
function withoutChangedPieces(signature: Signature | undefined, doc: PeerDoc, side: Side): Signature | undefined {
  if (!signature?.chunks) return signature;
  const at = side === 'local' ? 0 : 1;
  const chunks = Object.fromEntries(Object.entries(signature.chunks).filter(([name, digests]) => (doc.chunks[name]?.digest ?? '') === digests[at]));
  return { ...signature, chunks };
}

/** Signature pieces still valid after a body write (the kept ones). */
function carriedChunks(doc: PeerDoc, signature: Signature | undefined, source: Side): Record<string, [string, string]> {
  const kept = new Set(Object.keys(keptChunks(doc, signature, source)));
  return Object.fromEntries(Object.entries(signature?.chunks ?? {}).filter(([name]) => kept.has(name)));
}

function compareChunkNames(a: string, b: string): number {
  const [an, ai] = [a.slice(0, a.lastIndexOf('#')), Number(a.slice(a.lastIndexOf('#') + 1))];
  const [bn, bi] = [b.slice(0, b.lastIndexOf('#')), Number(b.slice(b.lastIndexOf('#') + 1))];
  return an === bn ? ai - bi : an < bn ? -1 : 1;
}

function hashKey(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(36);
}

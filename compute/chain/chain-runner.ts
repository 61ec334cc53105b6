import { concatMap, from, type Subscription } from 'rxjs';
import { isStorageError, type Doc, type ProcessStep, type Seq, type Storage } from '../../storage';
import { appendStep, forgetFailedStep, processSteps, type Operation } from './operation';
import { runClaimedStep, type ChainClaims } from './claimed-step';

export interface ChainRunnerOptions {
  /** Where the runner keeps its checkpoint (a storage of its own; never the data storage). */
  state: Storage;
  /** Failed steps are retried this many times, after 1 s, 4 s, 16 s… Default 3. */
  retries?: number;
  /** Base retry delay in ms. Default 1000. */
  retryBaseMs?: number;
  /**
   * Claims on the server the device syncs with (see claimed-step.ts): given, each step is claimed first, so this chain
   * and server workers never do a step twice, and heavy steps can be left to the server. Without, steps run unclaimed
   * (a device on its own). A function is asked before each step (the app's remotes and settings may change).
   */
  claims?: ChainClaims | (() => Promise<ChainClaims | undefined>);
}

const CHECKPOINT = 'chain-checkpoint';

/**
 * Runs operations on documents as they change (the EDELWEISS way): it follows the storage's changes feed from a
 * persisted checkpoint, and for each changed document runs every operation that applies and has not succeeded yet,
 * recording `{name, status, started, finished, result | error}` in the document's `process` list. The next operation
 * sees that record and runs in turn. After a crash or reload it resumes from the checkpoint; a step that was
 * interrupted is run again. Documents still being written (`status: 'writing'`) wait until they are complete. Failures are recorded and retried with backoff; removing a failed step (see `rerun`) runs it again.
 */
export class ChainRunner {
  private readonly retries: number;
  private readonly retryBaseMs: number;

  constructor(
    private readonly storage: Storage,
    private readonly operations: Operation[],
    private readonly options: ChainRunnerOptions,
  ) {
    this.retries = options.retries ?? 3;
    this.retryBaseMs = options.retryBaseMs ?? 1000;
  }

  /** Follows changes until `signal` aborts. */
  async run(signal: AbortSignal): Promise<void> {
    const since = await this.checkpoint();
    let subscription: Subscription | undefined;
    await new Promise<void>((resolve, reject) => {
      subscription = this.storage
        .changes({ ...(since === undefined ? {} : { since }), live: true })
        .pipe(concatMap((change) => from(this.handle(change.id, change.deleted, signal).then(() => this.saveCheckpoint(change.seq)))))
        .subscribe({ error: reject });
      signal.addEventListener('abort', () => resolve(), { once: true });
    }).finally(() => subscription?.unsubscribe());
  }

  /** Forgets a document's failed runs of `name`, so the chain runs that step again. */
  rerun(id: string, name: string): Promise<void> {
    return forgetFailedStep(this.storage, id, name);
  }

  /** Runs every pending operation on one document, in order; each one's record is written before the next looks. */
  async handle(id: string, deleted: boolean, signal: AbortSignal): Promise<void> {
    if (deleted) return;
    for (const operation of this.operations) {
      if (signal.aborted) return;
      const doc = await this.read(id);
      if (!doc || doc['status'] === 'writing' || !operation.applies(doc)) continue;
      const steps = processSteps(doc).filter((step) => step.name === operation.name);
      if (steps.some((step) => step.status === 'done')) continue;
      const failures = steps.filter((step) => step.status === 'failed').length;
      if (failures > this.retries) continue; // given up: shown in the UI, re-run by the user
      if (failures > 0) await delay(this.retryBaseMs * 4 ** (failures - 1), signal);
      await this.runStep(id, doc, operation, signal);
    }
  }

  private async runStep(id: string, doc: Doc, operation: Operation, signal: AbortSignal): Promise<void> {
    const claims = typeof this.options.claims === 'function' ? await this.options.claims() : this.options.claims;
    if (claims) {
      const policy = { retries: this.retries, retryBaseMs: this.retryBaseMs };
      await runClaimedStep(this.storage, claims, id, operation, this.operations, policy, (stepSignal) => this.execute(id, doc, operation, stepSignal), signal);
      return;
    }
    // No "running" marker is written: a step interrupted by a crash is simply not recorded, so it runs again at the
    // next start.
    const step = await this.execute(id, doc, operation, signal);
    // In one step with the read: what others wrote meanwhile (a page, a sync, an append) is kept; gone: nothing to record.
    if (step) await this.storage.update(id, (current) => current && appendStep(current, step));
  }

  /** Runs the operation; resolves to what to record, or undefined for nothing (cancelled, or its data not here). */
  private async execute(id: string, doc: Doc, operation: Operation, signal: AbortSignal): Promise<ProcessStep | undefined> {
    const started = new Date().toISOString();
    try {
      const result = await operation.run(this.storage, id, doc, { signal });
      return { name: operation.name, status: 'done', started, finished: new Date().toISOString(), ...(result === undefined ? {} : { result }) };
    } catch (error) {
      if (signal.aborted) return undefined; // not recorded: runs again at the next start
      // Synced without its data (a large array left on the server): not a failure; the step runs once the data is
      // kept here, which changes the document again.
      if (isStorageError(error, 404) && (error.details['id'] === id && typeof error.details['name'] === 'string')) return undefined;
      return { name: operation.name, status: 'failed', started, finished: new Date().toISOString(), error: error instanceof Error ? error.message : String(error) };
    }
  }

  private async read(id: string): Promise<Doc | undefined> {
    try {
      return await this.storage.get(id);
    } catch (error) {
      if (isStorageError(error, 404)) return undefined;
      throw error;
    }
  }

  private async checkpoint(): Promise<Seq | undefined> {
    try {
      return (await this.options.state.get(CHECKPOINT))['seq'] as Seq;
    } catch (error) {
      if (isStorageError(error, 404)) return undefined;
      throw error;
    }
  }

  private async saveCheckpoint(seq: Seq): Promise<void> {
    await this.options.state.put(CHECKPOINT, { seq });
  }
}

function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}

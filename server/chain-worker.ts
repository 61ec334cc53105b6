import { isStorageError } from '../storage';
import type { Doc, ProcessStep, Storage } from '../storage';
import type { CouchAttachment, CouchClient } from '../storage/remote/couch-client';
import { bodyOf, CouchStorage } from '../storage/remote/couch-storage';
import { RemoteError } from '../storage/remote/remote-error';
import type { Operation } from '../compute/chain/operation';
import { finishStep, proposeClaim, releaseClaim, renewClaim, withStepRecorded, type RetryPolicy, type StepClaim } from '../compute/chain/step-claim';
import { backoffMs, delay, isTransient } from './backoff';
import { findCandidates, type Candidate } from './step-index';

export interface ChainWorkerOptions {
  /** This worker's id, recorded with each step it runs and in its claims. Default `worker-<random>`. */
  worker?: string;
  /** How long a claim holds without renewal (renewed every third of it while the step runs). Default 60 s. */
  leaseMs?: number;
  /** Failed steps retried this many times, after base · 4^(n-1) ms. Default 3 and 1000. */
  retries?: number;
  retryBaseMs?: number;
  /** Wait between index reads when there was nothing to do. Default 2 s. */
  pollMs?: number;
  /** Documents claimed per request and run side by side. Default 4. */
  batchSize?: number;
  /** Longest wait between tries while the server cannot be reached (doubling from 0.5 s). Default 30 s. */
  maxBackoffMs?: number;
  /** Progress, one event per step claimed, done, failed, lost, and per network failure. */
  onEvent?: (event: WorkerEvent) => void;
}

export type WorkerEvent =
  | { type: 'claimed'; id: string; step: string }
  | { type: 'done'; id: string; step: string; ms: number }
  | { type: 'failed'; id: string; step: string; error: string }
  | { type: 'lost'; id: string; step: string }
  | { type: 'unreachable'; error: string; retryInMs: number };

/** A step's claim was taken over by another worker while it ran (it had expired): the step stops, unrecorded. */
export class ClaimLostError extends Error {
  override readonly name = 'ClaimLostError';
  readonly status = 409;
  constructor(id: string, step: string) {
    super(`The claim on step ${step} of ${id} expired and another worker took it over: raise --lease-ms if steps take that long.`);
  }
}

/** Documents seen with nothing to do, by id and revision (bounded: forgotten all at once past this many). */
const IDLE_LIMIT = 100_000;

/**
 * Runs a processing chain's operations (compute/chain, the same code as in the browser) on the documents of a
 * CouchDB-protocol database, next to the data. Several workers, on one machine or many, share the work through claims
 * written into the documents (compute/chain/step-claim.ts): no queue, only CouchDB's revision check. Documents are
 * found through the step index (step-index.ts) rather than by reading every document.
 */
export class ChainWorker {
  readonly worker: string;
  readonly storage: Storage;
  private readonly policy: RetryPolicy;
  private readonly leaseMs: number;
  private readonly pollMs: number;
  private readonly maxBackoffMs: number;
  private readonly batchSize: number;
  private readonly onEvent: (event: WorkerEvent) => void;
  private readonly idle = new Set<string>();

  constructor(
    private readonly client: CouchClient,
    private readonly operations: readonly Operation[],
    options: ChainWorkerOptions = {},
  ) {
    this.worker = options.worker ?? `worker-${crypto.randomUUID().slice(0, 8)}`;
    this.storage = new CouchStorage(client);
    this.policy = { retries: options.retries ?? 3, retryBaseMs: options.retryBaseMs ?? 1000 };
    this.leaseMs = options.leaseMs ?? 60_000;
    this.pollMs = options.pollMs ?? 2000;
    this.maxBackoffMs = options.maxBackoffMs ?? 30_000;
    this.batchSize = Math.max(1, options.batchSize ?? 4);
    this.onEvent = options.onEvent ?? (() => undefined);
  }

  /**
   * Works until `signal` aborts (or, with `untilIdle`, until a pass finds nothing to do and no claim of another worker
   * is pending). On abort the claim held is given back, unless `release` is false (as a crash would leave it: it
   * expires). Network failures are waited out with backoff; other errors reject.
   */
  async run(signal: AbortSignal, { untilIdle = false, release = true }: { untilIdle?: boolean; release?: boolean } = {}): Promise<void> {
    let failures = 0;
    while (!signal.aborted) {
      let outcome: { ran: number; waiting: number };
      try {
        outcome = await this.pass(signal, release);
        failures = 0;
      } catch (error) {
        if (signal.aborted) return;
        if (!isTransient(error)) throw error;
        const retryInMs = backoffMs(failures++, 500, this.maxBackoffMs);
        this.onEvent({ type: 'unreachable', error: (error as Error).message, retryInMs });
        await delay(retryInMs, signal);
        continue;
      }
      if (outcome.ran > 0) continue;
      if (untilIdle && outcome.waiting === 0) return;
      await delay(this.pollMs, signal);
    }
  }

  /**
   * One pass over the documents the index lists, in batches: each batch's documents are fetched in one request and
   * their next steps claimed in one `_bulk_docs` write (each document written with the `_rev` read: a conflict there
   * means another worker claimed it first), then run side by side and recorded. Resolves to the steps recorded here and
   * the documents left waiting (claimed by others, or waiting for a retry).
   */
  async pass(signal: AbortSignal, release = true): Promise<{ ran: number; waiting: number }> {
    const candidates = shuffle(await findCandidates(this.client, this.operations, { signal })).filter((candidate) => !this.idle.has(idleKey(candidate)));
    let ran = 0;
    let waiting = 0;
    for (let at = 0; at < candidates.length && !signal.aborted; at += this.batchSize) {
      const batch = candidates.slice(at, at + this.batchSize);
      const free = batch.filter((candidate) => !claimedByOther(candidate, this.worker));
      waiting += batch.length - free.length;
      if (free.length === 0) continue;
      const claimed = await this.claimBatch(free, signal);
      waiting += claimed.waiting;
      const recorded = await Promise.all(claimed.steps.map((step) => this.runClaimed(step, signal, release)));
      ran += recorded.filter(Boolean).length;
      waiting += recorded.filter((done) => !done).length;
    }
    return { ran, waiting };
  }

  /** Fetches the candidates and claims the next step of each that has one, in two requests. */
  private async claimBatch(candidates: Candidate[], signal: AbortSignal): Promise<{ steps: ClaimedStep[]; waiting: number }> {
    const { rows } = await this.client.allDocs({ keys: candidates.map((candidate) => candidate.id), includeDocs: true, signal });
    const proposals: ClaimedStep[] = [];
    let waiting = 0;
    for (const row of rows) {
      if (!row.doc || row.doc._deleted) continue;
      const proposal = proposeClaim(bodyOf(row.doc), this.operations, { ...this.policy, worker: this.worker, leaseMs: this.leaseMs });
      if (proposal === 'none') this.forget(`${row.key}@${row.doc._rev}`);
      else if (typeof proposal === 'string') waiting += 1;
      else proposals.push({ id: row.key, rev: row.doc._rev!, attachments: row.doc._attachments ?? {}, doc: proposal.claimed, claim: proposal.claim, operation: proposal.operation });
    }
    if (proposals.length === 0) return { steps: [], waiting };
    const answers = await this.client.bulkDocs(proposals.map((step) => ({ ...step.doc, _id: step.id, _rev: step.rev, _attachments: step.attachments })), { signal });
    const steps: ClaimedStep[] = [];
    answers.forEach((answer, index) => {
      if (answer.error === 'conflict') waiting += 1;
      else if (answer.error) throw new RemoteError(answer.error === 'forbidden' ? 403 : 400, answer.error, `The server refused the claim on ${answer.id}: ${answer.reason ?? answer.error}.`, answer.reason);
      else steps.push({ ...proposals[index]!, rev: answer.rev! });
    });
    return { steps, waiting };
  }

  /** Runs a claimed step, renewing its claim meanwhile, and records it; resolves whether it was recorded by this worker. */
  private async runClaimed(claimed: ClaimedStep, signal: AbortSignal, release: boolean): Promise<boolean> {
    const { id, claim, operation, doc } = claimed;
    this.onEvent({ type: 'claimed', id, step: operation.name });
    const controller = new AbortController();
    const stop = () => controller.abort(signal.reason);
    if (signal.aborted) stop(); // stopped while the batch was being claimed
    signal.addEventListener('abort', stop, { once: true });
    let renewed = false;
    const heartbeat = setInterval(() => {
      renewed = true;
      renewClaim(this.storage, id, claim, this.leaseMs).then(
        (held) => held || controller.abort(new ClaimLostError(id, operation.name)),
        () => undefined, // a renewal lost to the network: the next one tries again
      );
    }, Math.max(50, this.leaseMs / 3));
    const started = new Date();
    let step: ProcessStep;
    try {
      const result = await operation.run(this.storage, id, doc, { signal: controller.signal });
      step = { name: operation.name, worker: this.worker, status: 'done', started: started.toISOString(), finished: new Date().toISOString(), ...(result === undefined ? {} : { result }) };
    } catch (error) {
      if (controller.signal.aborted) {
        if (signal.aborted) {
          if (release) await releaseClaim(this.storage, id, claim).catch(() => undefined);
        } else this.onEvent({ type: 'lost', id, step: operation.name });
        return false;
      }
      if (isTransient(error) || isMissingData(error, id)) {
        // Not the document's fault (the network, data not on the server): given back, tried again later.
        await releaseClaim(this.storage, id, claim).catch(() => undefined);
        if (isTransient(error)) throw error;
        return false;
      }
      step = { name: operation.name, worker: this.worker, status: 'failed', started: started.toISOString(), finished: new Date().toISOString(), error: error instanceof Error ? error.message : String(error) };
    } finally {
      clearInterval(heartbeat);
      signal.removeEventListener('abort', stop);
    }
    const recorded = await this.record(claimed, step, renewed);
    if (!recorded) this.onEvent({ type: 'lost', id, step: operation.name });
    else if (step.status === 'done') this.onEvent({ type: 'done', id, step: operation.name, ms: Date.now() - started.getTime() });
    else this.onEvent({ type: 'failed', id, step: operation.name, error: step.error ?? '' });
    return recorded;
  }

  /**
   * Records the outcome: written over the claim's own revision in one request while nothing else wrote the document
   * (no renewal either), else by a compare-and-set on the claim's token. A network failure here is retried a few
   * times, as the step's work would otherwise be redone.
   */
  private async record(claimed: ClaimedStep, step: ProcessStep, renewed: boolean): Promise<boolean> {
    if (!renewed) {
      try {
        await this.client.put({ ...withStepRecorded(claimed.doc, claimed.claim, step)!, _id: claimed.id, _rev: claimed.rev, _attachments: claimed.attachments });
        return true;
      } catch (error) {
        if (!(error instanceof RemoteError) || (error.status !== 409 && !error.transient)) throw error;
      }
    }
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await finishStep(this.storage, claimed.id, claimed.claim, step);
      } catch (error) {
        if (!isTransient(error) || attempt >= 5) throw error;
        await delay(500 * 2 ** attempt, new AbortController().signal);
      }
    }
  }

  private forget(key: string): void {
    if (this.idle.size >= IDLE_LIMIT) this.idle.clear();
    this.idle.add(key);
  }
}

/** A step this worker claimed: the document as claimed (body, revision, attachment stubs) and what to run. */
interface ClaimedStep {
  id: string;
  rev: string;
  attachments: Record<string, CouchAttachment>;
  doc: Doc;
  claim: StepClaim;
  operation: Operation;
}

function idleKey(candidate: Candidate): string {
  return `${candidate.id}@${candidate.rev}`;
}

function claimedByOther(candidate: Candidate, worker: string): boolean {
  const claim = candidate.claim;
  return claim !== null && claim.worker !== worker && typeof claim.expires === 'string' && Date.parse(claim.expires) > Date.now();
}

/** A document whose data the server does not have (its attachment pieces left on a device): not a failure of the step. */
function isMissingData(error: unknown, id: string): boolean {
  return isStorageError(error, 404) && error.details['id'] === id && typeof error.details['name'] === 'string';
}

/** Random order, so workers starting together spread over the documents instead of racing for the same ones. */
function shuffle<T>(items: T[]): T[] {
  for (let index = items.length - 1; index > 0; index -= 1) {
    const other = Math.floor(Math.random() * (index + 1));
    [items[index], items[other]] = [items[other]!, items[index]!];
  }
  return items;
}

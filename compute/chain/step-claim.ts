import type { Doc, ProcessStep, Storage } from '../../storage';
import { appendStep, processSteps, type Operation } from './operation';

/**
 * A claim on a document's next step, kept in the document itself (`claim`): whoever holds a live claim is the only one
 * who runs that step and records it. It is written by a compare-and-set on the document's revision (Storage.update; on
 * CouchDB a write with the `_rev` read, answered 409 when another writer got in first), so of two workers claiming at
 * once exactly one wins, the other sees the winner's claim when it reads again. A claim whose holder died expires and is
 * taken over; a holder that lost its claim that way never records its result (the record is also a compare-and-set on
 * the claim's token). Clocks of the machines involved must agree to well within the lease.
 */
export interface StepClaim {
  /** Who holds it: a worker id (`host:pid:random`) or a device's chain. */
  worker: string;
  /** The operation's name. */
  step: string;
  /** ISO time after which others may take the step over. */
  expires: string;
  /** Unique per claim: a record or renewal checks it, so an old holder cannot write over a newer claim. */
  token: string;
}

/** A document's claim, when it carries a well-formed one. */
export function claimOf(doc: Doc): StepClaim | undefined {
  const claim = doc['claim'];
  if (typeof claim !== 'object' || claim === null) return undefined;
  const { worker, step, expires, token } = claim as Record<string, unknown>;
  if (typeof worker !== 'string' || typeof step !== 'string' || typeof expires !== 'string' || typeof token !== 'string') return undefined;
  return { worker, step, expires, token };
}

/** Whether the document carries a claim that has not expired at `now` (ms since the epoch). */
export function hasLiveClaim(doc: Doc, now: number): boolean {
  const claim = claimOf(doc);
  return claim !== undefined && Date.parse(claim.expires) > now;
}

export interface RetryPolicy {
  /** Failed runs retried this many times (so a step runs at most retries + 1 times). */
  retries: number;
  /** Delay before the n-th retry: base · 4^(n-1) ms after the last failure. */
  retryBaseMs: number;
}

/** What a document's next step is: the first operation that applies and has not succeeded nor been given up. */
export function nextStep(doc: Doc, operations: readonly Operation[], { retries }: RetryPolicy): Operation | undefined {
  if (doc['status'] === 'writing') return undefined; // still being written: its steps wait until it is complete
  for (const operation of operations) {
    if (!operation.applies(doc)) continue;
    const steps = processSteps(doc).filter((step) => step.name === operation.name);
    if (steps.some((step) => step.status === 'done')) continue;
    if (steps.filter((step) => step.status === 'failed').length > retries) continue; // given up: marked failed
    return operation;
  }
  return undefined;
}

/** When the step may run again after its failures (ms since the epoch; 0 = now). */
export function retryAt(doc: Doc, name: string, { retryBaseMs }: RetryPolicy): number {
  const failures = processSteps(doc).filter((step) => step.name === name && step.status === 'failed');
  const last = failures.at(-1);
  if (!last) return 0;
  return Date.parse(last.finished ?? last.started) + retryBaseMs * 4 ** (failures.length - 1);
}

export interface ClaimOptions extends RetryPolicy {
  worker: string;
  leaseMs: number;
  signal?: AbortSignal;
  /** Clock (ms since the epoch); default Date.now. */
  now?: () => number;
}

/**
 * What claiming a document's next step would write: the document with the claim (`claimed`), or why there is nothing
 * to claim — `none` (no step left: done, given up, still being written), `busy` (another live claim), `later` (a retry
 * waiting for its backoff). `only` restricts it to that step. Pure: the caller writes it with the revision it read.
 */
export function proposeClaim(
  doc: Doc,
  operations: readonly Operation[],
  options: ClaimOptions,
  only?: string,
): { claimed: Doc; claim: StepClaim; operation: Operation } | 'none' | 'busy' | 'later' {
  const now = (options.now ?? Date.now)();
  if (hasLiveClaim(doc, now)) return 'busy';
  const operation = nextStep(doc, operations, options);
  if (!operation || (only !== undefined && operation.name !== only)) return 'none';
  if (retryAt(doc, operation.name, options) > now) return 'later';
  const claim = { worker: options.worker, step: operation.name, expires: new Date(now + options.leaseMs).toISOString(), token: crypto.randomUUID() };
  return { claimed: { ...doc, claim }, claim, operation };
}

/** The document with the claimed step recorded and the claim removed; undefined when the claim is not its own any more. */
export function withStepRecorded(doc: Doc, claim: StepClaim, step: ProcessStep): Doc | undefined {
  if (claimOf(doc)?.token !== claim.token) return undefined;
  const { claim: _released, ...rest } = appendStep(doc, step);
  return rest;
}

/**
 * Claims the document's next step (if it is `name`, when given) when nobody holds a live claim on it; resolves to the
 * claim and the document as claimed, or why not: `missing` (no such document in `storage`), or proposeClaim's `none`,
 * `busy`, `later`.
 */
export async function claimStep(
  storage: Storage,
  id: string,
  operations: readonly Operation[],
  name: string | undefined,
  options: ClaimOptions,
): Promise<{ claim: StepClaim; doc: Doc } | 'missing' | 'none' | 'busy' | 'later'> {
  const seen: { outcome: { claim: StepClaim } | 'missing' | 'none' | 'busy' | 'later' } = { outcome: 'missing' };
  const stored = await storage.update(
    id,
    (current) => {
      if (!current) return ((seen.outcome = 'missing'), undefined);
      const proposal = proposeClaim(current, operations, options, name);
      if (typeof proposal === 'string') return ((seen.outcome = proposal), undefined);
      seen.outcome = { claim: proposal.claim };
      return proposal.claimed;
    },
    options.signal ? { signal: options.signal } : {},
  );
  const { outcome } = seen;
  if (typeof outcome === 'string') return outcome;
  return stored ? { claim: outcome.claim, doc: stored } : 'missing';
}

/** Extends a claim still held; resolves false when it is not ours any more (taken over after expiry, or the document gone). */
export async function renewClaim(storage: Storage, id: string, claim: StepClaim, leaseMs: number, now: () => number = Date.now): Promise<boolean> {
  let held = false;
  await storage.update(id, (current) => {
    held = current !== undefined && claimOf(current)?.token === claim.token;
    return held ? { ...current, claim: { ...claim, expires: new Date(now() + leaseMs).toISOString() } } : undefined;
  });
  return held;
}

/**
 * Records the claimed step's outcome in `process` and removes the claim, in one compare-and-set: only while the claim
 * is still ours, so a step is recorded once whoever else ran it. Resolves false when it was not recorded.
 */
export async function finishStep(storage: Storage, id: string, claim: StepClaim, step: ProcessStep): Promise<boolean> {
  let recorded = false;
  await storage.update(id, (current) => {
    const next = current && withStepRecorded(current, claim, step);
    recorded = next !== undefined;
    return next;
  });
  return recorded;
}

/** Gives a claim back without recording anything (a worker stopping, a network failure): others may run the step at once. */
export async function releaseClaim(storage: Storage, id: string, claim: StepClaim): Promise<void> {
  await storage.update(id, (current) => {
    if (!current || claimOf(current)?.token !== claim.token) return undefined;
    const { claim: _released, ...rest } = current;
    return rest;
  });
}

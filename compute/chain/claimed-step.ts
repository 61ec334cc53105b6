import { isStorageError, type ProcessStep, type Storage } from '../../storage';
import { isTransientFailure } from '../../storage/remote/remote-error';
import type { Operation } from './operation';
import { claimStep, finishStep, releaseClaim, renewClaim, type RetryPolicy } from './step-claim';

/**
 * How the app's chain shares work with server workers (server/chain-worker.ts): the same claim protocol, so a step is
 * done once whoever gets there first, browser or server.
 */
export interface ChainClaims {
  /** The server database (the remote the device syncs with): a document that is there is claimed there. */
  remote: Storage;
  /** This device's id in claims and in the steps it records. */
  worker: string;
  /** How long a claim holds without renewal (renewed every third of it). Default 60 s. */
  leaseMs?: number;
  /** Whether this device leaves steps marked heavy (decode, spectrum) to the server workers; asked before each. */
  leaveHeavy?: () => boolean | Promise<boolean>;
  /** Whether server workers run on the remote (asked only when heavy steps are to be left to them). */
  serverWorkersKnown?: () => Promise<boolean>;
}

/** What became of a step: run here (and recorded where it was claimed), left to others, or not run now. */
export type ClaimedOutcome = 'ran' | 'left' | 'skipped';

/**
 * Runs one step under a claim. A document the remote has is claimed on the remote (another holder, or the step done
 * there already: skipped here, its result comes by sync) and the outcome is recorded there only, in the same
 * compare-and-set as the claim's release: the device's copy is left alone, so sync brings the record back without a
 * conflict. A document the remote does not have (made here, not synced yet), or every document while the remote cannot
 * be reached, is claimed in the device's own copy: that claim travels with the document, so a server worker seeing it
 * mid-step leaves the step alone. (Offline, a document the server also has may then be processed on both sides; the
 * sync shows that as a conflict rather than hiding it.) `execute` runs the step and resolves to the record, or undefined
 * to record nothing (cancelled, data not here): the claim is then given back.
 */
export async function runClaimedStep(
  local: Storage,
  claims: ChainClaims,
  id: string,
  operation: Operation,
  operations: readonly Operation[],
  policy: RetryPolicy,
  execute: (signal: AbortSignal) => Promise<ProcessStep | undefined>,
  signal: AbortSignal,
): Promise<ClaimedOutcome> {
  if (operation.heavy && (await claims.leaveHeavy?.()) && (await claims.serverWorkersKnown?.())) return 'left';
  const leaseMs = claims.leaseMs ?? 60_000;
  const options = { ...policy, worker: claims.worker, leaseMs, signal };
  let where = claims.remote;
  // The server unreachable, or refusing this device (signed out, no write access): the device goes on with its own copy.
  let claimed = await claimStep(where, id, operations, operation.name, options).catch((error: unknown) => {
    signal.throwIfAborted();
    if (isTransientFailure(error) || isStorageError(error)) return 'unavailable' as const;
    throw error;
  });
  if (claimed === 'missing' || claimed === 'unavailable') {
    where = local;
    claimed = await claimStep(where, id, operations, operation.name, options);
  }
  if (typeof claimed === 'string') return 'skipped';
  const { claim } = claimed;
  const controller = new AbortController();
  const stop = () => controller.abort(signal.reason);
  signal.addEventListener('abort', stop, { once: true });
  const heartbeat = setInterval(() => {
    renewClaim(where, id, claim, leaseMs).then(
      (held) => held || controller.abort(new Error(`The claim on ${operation.name} of ${id} was taken over.`)),
      () => undefined, // lost to the network: the next renewal tries again
    );
  }, Math.max(50, leaseMs / 3));
  let step: ProcessStep | undefined;
  try {
    step = await execute(controller.signal);
  } finally {
    clearInterval(heartbeat);
    signal.removeEventListener('abort', stop);
  }
  if (!step || controller.signal.aborted) {
    await releaseClaim(where, id, claim).catch(() => undefined);
    return 'skipped';
  }
  await record(() => finishStep(where, id, claim, { ...step, worker: claims.worker }));
  return 'ran';
}

/**
 * Records the outcome, trying again a few times when the network fails meanwhile (the work would otherwise be redone
 * once the claim expires). Still failing: left to that expiry, with a warning, rather than stopping the chain.
 */
async function record(write: () => Promise<boolean>): Promise<void> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      await write();
      return;
    } catch (error) {
      if (!isTransientFailure(error) || attempt >= 4) {
        console.warn('A processing step could not be recorded on the server; it will be done again once its claim expires:', error);
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 500 * 2 ** attempt));
    }
  }
}

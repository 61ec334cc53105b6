import type { CouchClient } from '../storage/remote/couch-client';
import { RemoteError } from '../storage/remote/remote-error';
import type { Operation } from '../compute/chain/operation';
import { STEP_INDEX_DESIGN } from '../compute/chain/server-workers';

export { STEP_INDEX_DESIGN };
const VIEW = 'by-last-step';

/**
 * The map function (CouchDB's JavaScript, run by the server): each document under [last step's name, its status]
 * (['', ''] with no step yet), valued with its revision and claim, so a worker can skip documents it has seen or that
 * another worker holds without fetching them. A view rather than a Mango index: Mango indexes fields, and the last
 * entry of `process` is no field; a view computes it from `process` as it is, whoever wrote it (browsers of any
 * version included), and a document without steps is in the index too.
 */
const MAP = `function (doc) {
  if (typeof doc.portal_type !== 'string') return;
  var steps = Array.isArray(doc.process) ? doc.process : [];
  var last = steps.length > 0 && steps[steps.length - 1] && typeof steps[steps.length - 1] === 'object' ? steps[steps.length - 1] : null;
  emit([last && typeof last.name === 'string' ? last.name : '', last && typeof last.status === 'string' ? last.status : ''], { rev: doc._rev, claim: doc.claim || null });
}`;

/** A document that may have a step to run, as the index lists it. */
export interface Candidate {
  id: string;
  rev: string;
  claim: { worker?: unknown; expires?: unknown } | null;
}

/** Creates or updates the index's design document (needs a database admin; done by `npm run worker` at start). */
export async function ensureStepIndex(client: CouchClient, { signal }: { signal?: AbortSignal } = {}): Promise<void> {
  const views = { [VIEW]: { map: MAP } };
  for (let attempt = 0; attempt < 5; attempt += 1) {
    let rev: string | undefined;
    try {
      const current = await client.get(STEP_INDEX_DESIGN, { ...(signal ? { signal } : {}) });
      if (JSON.stringify(current['views']) === JSON.stringify(views)) return;
      rev = current._rev;
    } catch (error) {
      if (!(error instanceof RemoteError) || error.status !== 404) throw error;
    }
    try {
      await client.put({ _id: STEP_INDEX_DESIGN, ...(rev ? { _rev: rev } : {}), language: 'javascript', views }, { ...(signal ? { signal } : {}) });
      return;
    } catch (error) {
      if (!(error instanceof RemoteError) || error.status !== 409) throw error; // another worker wrote it: compare again
    }
  }
}

/** The index keys a chain's operations can run after: their `follows` steps (any outcome) and their own failed runs. */
export function candidateKeys(operations: readonly Operation[]): [string, string][] | undefined {
  if (operations.some((operation) => operation.follows === undefined)) return undefined;
  const keys = new Map<string, [string, string]>();
  const add = (key: [string, string]) => keys.set(JSON.stringify(key), key);
  for (const operation of operations) {
    for (const name of operation.follows!) {
      if (name === '') add(['', '']);
      else for (const status of ['done', 'failed']) add([name, status]);
    }
    add([operation.name, 'failed']);
  }
  return [...keys.values()];
}

/** Documents that may have a step to run for `operations` (every document when an operation says nothing of what it follows). */
export async function findCandidates(client: CouchClient, operations: readonly Operation[], { signal }: { signal?: AbortSignal } = {}): Promise<Candidate[]> {
  const keys = candidateKeys(operations);
  const rows = await client.view<{ rev: string; claim: Candidate['claim'] }>(STEP_INDEX_DESIGN, VIEW, { ...(keys ? { keys } : {}), ...(signal ? { signal } : {}) });
  return rows.map((row) => ({ id: row.id, rev: row.value.rev, claim: row.value.claim }));
}

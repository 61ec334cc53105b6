import type { Storage } from '../../storage';
import { isStorageError } from '../../storage/storage-error';
import { asDataArray, getDataArray, sampleCount, type DataArrayDocument } from '../../storage/arrays';
import { quoteQueryValue } from '../../storage/query/document-query';
import { checkExperiment, type ExperimentDocument } from './experiment-document';
import { checkSignal, type SignalBinding, type SignalDocument } from './signal-document';
import { resolveBinding, type ArrayRef } from './resolve-binding';
import { SignalResolveError } from './signal-resolve-error';

/** A signal resolved for an experiment: everything needed to read it. */
export interface ResolvedSignal {
  signalId: string;
  signal: SignalDocument;
  experimentId: string;
  experiment: ExperimentDocument;
  binding: SignalBinding;
  arrayId: string;
  array: DataArrayDocument;
}

interface Options {
  signal?: AbortSignal;
}

/** The Signal document of that name (or id): 404 when there is none, 409 when two signals share the name. */
export async function findSignal(storage: Storage, nameOrId: string, { signal }: Options = {}): Promise<{ id: string; doc: SignalDocument }> {
  const { rows } = await storage.allDocs({ query: `portal_type:="Signal" AND name:=${quoteQueryValue(nameOrId)}`, include_docs: true, ...(signal ? { signal } : {}) });
  if (rows.length > 1) throw new SignalResolveError(409, `${rows.length} signals are named “${nameOrId}” (${rows.map((row) => row.id).join(', ')}): rename one, or ask for it by id.`, { name: nameOrId, signals: rows.map((row) => row.id) });
  if (rows.length === 1) return { id: rows[0]!.id, doc: checkSignal(rows[0]!.doc ?? {}, rows[0]!.id) };
  try {
    return { id: nameOrId, doc: checkSignal(await storage.get(nameOrId, signal ? { signal } : {}), nameOrId) };
  } catch (error) {
    if (!isStorageError(error, 404)) throw error;
  }
  throw new SignalResolveError(404, `No signal is named “${nameOrId}”: see the Signals list for the names there are.`, { name: nameOrId });
}

/** Every Data Array as resolving sees it (its reference and the time its samples cover). */
export async function arrayRefs(storage: Storage, { signal }: Options = {}): Promise<ArrayRef[]> {
  const { rows } = await storage.allDocs({ query: 'portal_type:="Data Array"', include_docs: true, ...(signal ? { signal } : {}) });
  return rows.flatMap((row) => {
    const doc = asDataArray(row.doc ?? {}, row.id);
    return doc ? [arrayRef(row.id, doc)] : [];
  });
}

export function arrayRef(id: string, doc: DataArrayDocument): ArrayRef {
  const start = doc.start_time !== undefined ? Date.parse(doc.start_time) : NaN;
  const timed = Number.isFinite(start) && doc.sampling_rate !== undefined && doc.units?.x === undefined;
  return { id, reference: doc.reference, title: doc.title, ...(timed ? { start, end: start + (sampleCount(doc) / doc.sampling_rate!) * 1000 } : {}) };
}

/** The names of every experiment, for messages. */
async function experimentNames(storage: Storage, options: Options): Promise<Map<string, string>> {
  const { rows } = await storage.allDocs({ query: 'portal_type:="Experiment"', select_list: ['name', 'title'], ...(options.signal ? { signal: options.signal } : {}) });
  return new Map(rows.map((row) => [row.id, String(row.value?.['name'] ?? row.value?.['title'] ?? row.id)]));
}

export async function getExperiment(storage: Storage, id: string, { signal }: Options = {}): Promise<ExperimentDocument> {
  return checkExperiment(await storage.get(id, signal ? { signal } : {}), id);
}

/**
 * Resolves (signal name or id, or the signal already found, experiment id) to the one binding that holds and the array
 * it reads (see resolveBinding). Throws SignalResolveError (404/409) saying what is missing or ambiguous, StorageError 400 for a
 * document that is not usable.
 */
export async function resolveSignal(storage: Storage, name: string | { id: string; doc: SignalDocument }, experimentId: string, options: Options = {}): Promise<ResolvedSignal> {
  const [{ id: signalId, doc: signal }, experiment] = await Promise.all([typeof name === 'string' ? findSignal(storage, name, options) : name, getExperiment(storage, experimentId, options)]);
  const needsArrays = signal.bindings.some((binding) => 'reference' in binding.array);
  const [arrays, names] = await Promise.all([needsArrays ? arrayRefs(storage, options) : Promise.resolve([]), experimentNames(storage, options)]);
  const { binding, arrayId } = resolveBinding(signal, { id: experimentId, doc: experiment }, arrays, names);
  const array = await getDataArray(storage, arrayId, options);
  if (binding.channel >= (array.shape[1] ?? 1)) {
    throw new SignalResolveError(404, `Signal “${signal.name}” reads channel ${binding.channel + 1} of “${array.title}” (binding ${binding.id}), which has ${array.shape[1] ?? 1}: rewire the binding.`, { binding: binding.id, array: arrayId });
  }
  return { signalId, signal, experimentId, experiment, binding, arrayId, array };
}

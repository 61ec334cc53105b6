import { updateDocument, type Doc, type ProcessStep, type Storage } from '../../storage';

/**
 * A processing step the chain runs by itself: `applies` says which documents it is for (portal type, what their
 * `process` list already holds), `run` does the work and resolves to what is recorded as the step's result.
 */
export interface Operation {
  name: string;
  /**
   * The step names after which this one can come next ('' for a document with no step yet): a server worker asks its
   * index for documents whose last step is one of these (or a failed run of this one) instead of reading every document.
   * Default: any document.
   */
  follows?: readonly string[];
  /** Heavy on a tablet (decodes or transforms whole arrays): a device may leave it to the server workers. */
  heavy?: boolean;
  applies(doc: Doc): boolean;
  run(storage: Storage, id: string, doc: Doc, options: { signal: AbortSignal }): Promise<unknown>;
}

/** A document's processing history: its `process` entries that are objects (documents may come from other clients). */
export function processSteps(doc: Doc): ProcessStep[] {
  const steps = doc['process'];
  return Array.isArray(steps) ? steps.filter((step): step is ProcessStep => typeof step === 'object' && step !== null) : [];
}

/** The document with `step` added at the end of its `process` list. */
export function appendStep(doc: Doc, step: ProcessStep): Doc {
  return { ...doc, process: [...processSteps(doc), step] };
}

/** Whether a step of that name has finished well on the document. */
export function hasDone(doc: Doc, name: string): boolean {
  return processSteps(doc).some((step) => step.name === name && step.status === 'done');
}

/** Forgets a document's unfinished or failed runs of `name`: the chain runs that step again. */
export async function forgetFailedStep(storage: Storage, id: string, name: string): Promise<void> {
  await updateDocument(storage, id, (doc) => ({ ...doc, process: processSteps(doc).filter((step) => !(step.name === name && step.status !== 'done')) }));
}

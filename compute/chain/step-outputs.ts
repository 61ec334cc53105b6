import { isStorageError, type Storage } from '../../storage';

/**
 * The id of a step's `index`-th output document (an array it makes): the same on every try of that step on that
 * document, so a try killed half-way (a closed tab, a worker that died) leaves its outputs where the next try finds
 * and removes them, instead of orphans nobody lists. Claims make one try run at a time (server workers and the app).
 */
export function stepOutputId(docId: string, step: string, index: number): string {
  return `${docId}~${step}~${index}`;
}

/**
 * Removes what an earlier, unfinished try of the step left: outputs 0, 1, … up to the first one missing (a try makes
 * them in order). Resolves to how many were removed. Run at the start of each try.
 */
export async function removeStepOutputs(storage: Storage, docId: string, step: string, { signal }: { signal?: AbortSignal } = {}): Promise<number> {
  for (let index = 0; ; index += 1) {
    try {
      await storage.remove(stepOutputId(docId, step, index), signal ? { signal } : {});
    } catch (error) {
      if (isStorageError(error, 404)) return index;
      throw error;
    }
  }
}

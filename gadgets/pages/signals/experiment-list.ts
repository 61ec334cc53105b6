import type { Storage } from '../../../storage';
import { isStorageError } from '../../../storage/storage-error';
import { checkExperiment, type ExperimentDocument } from '../../../compute/signals/experiment-document';
import type { ExperimentRef } from '../../../compute/signals/resolve-binding';

/** Every usable experiment, by start time (those without a time range last); unusable ones are left out. */
export async function listExperiments(storage: Storage, signal?: AbortSignal): Promise<ExperimentRef[]> {
  const { rows } = await storage.allDocs({ query: 'portal_type:="Experiment"', include_docs: true, ...(signal ? { signal } : {}) });
  const experiments = rows.flatMap((row) => {
    try {
      return [{ id: row.id, doc: checkExperiment(row.doc ?? {}, row.id) }];
    } catch (error) {
      if (isStorageError(error, 400)) return [];
      throw error;
    }
  });
  return experiments.sort((a, b) => (a.doc.start ?? '~').localeCompare(b.doc.start ?? '~') || a.doc.name.localeCompare(b.doc.name));
}

/** "Shot 12 · 1 Jun 2024, 10:00": how a list or a form names an experiment. */
export function experimentLabel(doc: ExperimentDocument): string {
  return doc.start ? `${doc.name} · ${new Date(doc.start).toLocaleString()}` : doc.name;
}

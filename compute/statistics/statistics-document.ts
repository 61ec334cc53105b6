import type { BaseDocument, Storage } from '../../storage';
import { isStorageError } from '../../storage/storage-error';
import type { DataArrayDocument } from '../../storage/arrays';
import { parseStatisticsParameters, type StatisticsParameters, type StatisticsRequest } from './parameters';
import type { StatisticsResult } from './timeslice-statistics';

/**
 * Statistics kept as a document: tied to its array (`array`), the array's version when they were computed, and the
 * parameters; synced like every document, so another device (or the server) reads them without recomputing.
 */
export interface StatisticsDocument extends BaseDocument {
  portal_type: 'Statistics';
  array: string;
  /** The array's sample count and last change when computed: statistics of another version are not reused. */
  array_version: string;
  parameters: StatisticsRequest['normalized'];
  result: StatisticsResult;
}

/** What identifies an array's data: its shape and last change (appending samples changes both). */
export function arrayVersion(doc: DataArrayDocument): string {
  return `${doc.shape.join('x')}@${doc.modification_date}`;
}

/** The id of the statistics of `arrayId` with these (normalised) parameters: one document per array and parameters. */
export function statisticsDocumentId(arrayId: string, parameters: StatisticsRequest['normalized']): string {
  return `statistics-${arrayId}-${fnv1a(JSON.stringify(parameters))}`;
}

/**
 * The statistics of `arrayId` for `parameters`: the stored ones while the array is unchanged, else `compute`'s,
 * stored for next time (replacing those of an older version). Parameters are checked first (400 before any work).
 */
export async function statisticsOf(
  storage: Storage,
  arrayId: string,
  doc: DataArrayDocument,
  parameters: StatisticsParameters,
  compute: () => Promise<StatisticsResult>,
  { signal }: { signal?: AbortSignal } = {},
): Promise<{ id: string; document: StatisticsDocument; reused: boolean }> {
  const { normalized } = parseStatisticsParameters(parameters);
  const id = statisticsDocumentId(arrayId, normalized);
  const version = arrayVersion(doc);
  const stored = await storedDocument(storage, id, signal);
  if (stored && stored.array_version === version && stored.result && JSON.stringify(stored.parameters) === JSON.stringify(normalized)) return { id, document: stored, reused: true };
  const result = await compute();
  const document: StatisticsDocument = {
    portal_type: 'Statistics',
    title: `${doc.title || arrayId}: ${describe(normalized)}`,
    reference: id,
    modification_date: new Date().toISOString(),
    array: arrayId,
    array_version: version,
    parameters: normalized,
    result,
  };
  await storage.put(id, document, signal ? { signal } : {});
  return { id, document, reused: false };
}

/** "p99, rms per static hour (Europe/Paris)". */
export function describe(parameters: StatisticsRequest['normalized']): string {
  const slices = parameters.timeslice ? ` per ${parameters.timeslice_is_static ? 'calendar' : 'fixed'} ${parameters.timeslice}` : '';
  const range = parameters.start_date || parameters.end_date ? `, ${parameters.start_date ?? 'start'} to ${parameters.end_date ?? 'end'}` : '';
  return `${parameters.statistics.join(', ')}${slices}${range} (${parameters.time_zone})`;
}

async function storedDocument(storage: Storage, id: string, signal: AbortSignal | undefined): Promise<StatisticsDocument | undefined> {
  try {
    const doc = await storage.get(id, signal ? { signal } : {});
    return doc['portal_type'] === 'Statistics' ? (doc as StatisticsDocument) : undefined;
  } catch (error) {
    if (isStorageError(error, 404)) return undefined;
    throw error;
  }
}

/** A short stable hash (32-bit FNV-1a, hex) naming a parameter set in an id. */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index += 1) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}

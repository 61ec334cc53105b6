import type { BaseDocument } from '../../storage/documents';
import type { Doc } from '../../storage/types';
import { StorageError } from '../../storage/storage-error';
import { isFiniteNumber, isIsoTime, isObject, shown, unusable } from './document-check';

/**
 * An experiment (a shot, a run): a name or shot number, the time range it covers [start, end), notes, its run
 * conditions, and arrays linked to it by hand. Arrays belong to it by that link, or when their samples' time overlaps
 * its range (see experiment-arrays.ts).
 */
export interface ExperimentDocument extends BaseDocument {
  portal_type: 'Experiment';
  /** What people call it ("Shot 4312", "Pump test B"); the title is kept equal to it. */
  name: string;
  shot?: number;
  /** ISO times, start < end; absent: the experiment has only its linked arrays. */
  start?: string;
  end?: string;
  notes?: string;
  conditions: ExperimentConditions;
  /** Ids of Data Arrays linked by hand (whatever their time). */
  arrays: string[];
}

/**
 * Run conditions: free-form JSON, with a few fields of known type that pages and queries can rely on. A typed field of
 * the wrong type is refused; other fields are kept as they are.
 */
export interface ExperimentConditions {
  operator?: string;
  gas?: string;
  pressure_pa?: number;
  temperature_k?: number;
  magnetic_field_t?: number;
  [key: string]: unknown;
}

export const CONDITION_TYPES: Readonly<Record<string, 'string' | 'number'>> = {
  operator: 'string',
  gas: 'string',
  pressure_pa: 'number',
  temperature_k: 'number',
  magnetic_field_t: 'number',
};

/** A new experiment's body (post it). */
export function newExperiment(fields: { name: string; shot?: number; start?: string; end?: string; notes?: string; conditions?: ExperimentConditions; arrays?: string[] }): ExperimentDocument {
  const now = new Date().toISOString();
  return {
    portal_type: 'Experiment',
    title: fields.name,
    reference: `experiment-${fields.shot ?? now}`,
    modification_date: now,
    name: fields.name,
    ...(fields.shot !== undefined ? { shot: fields.shot } : {}),
    ...(fields.start !== undefined ? { start: fields.start } : {}),
    ...(fields.end !== undefined ? { end: fields.end } : {}),
    ...(fields.notes !== undefined ? { notes: fields.notes } : {}),
    conditions: fields.conditions ?? {},
    arrays: fields.arrays ?? [],
  };
}

/**
 * A stored document checked as an Experiment: 400 naming the field when its time range, shot, conditions or array
 * links are wrong (they decide which arrays belong to it). A missing name falls back to the title, then the shot;
 * missing conditions or links are empty. Returns a copy.
 */
export function checkExperiment(doc: Doc, id: string): ExperimentDocument {
  if (doc['portal_type'] !== 'Experiment') throw new StorageError(400, `“${id}” is not an Experiment.`, { id });
  const refuse = (field: string, problem: string) => unusable('Experiment', id, field, problem);
  const checked: Doc = { ...doc };
  for (const key of ['title', 'reference', 'modification_date']) if (typeof checked[key] !== 'string') checked[key] = '';
  if ('shot' in checked && !(Number.isSafeInteger(checked['shot']) && (checked['shot'] as number) >= 0)) throw refuse('shot', `is ${shown(checked['shot'])}, not a whole number ≥ 0`);
  if (typeof checked['name'] !== 'string' || checked['name'] === '') checked['name'] = (checked['title'] as string) || ('shot' in checked ? `Shot ${checked['shot'] as number}` : id);
  for (const key of ['start', 'end']) if (key in checked && !isIsoTime(checked[key])) throw refuse(key, `is ${shown(checked[key])}, not an ISO time`);
  if (('start' in checked) !== ('end' in checked)) throw refuse('time range', `has only ${'start' in checked ? 'a start' : 'an end'}: give both, or neither`);
  if ('start' in checked && !(Date.parse(checked['start'] as string) < Date.parse(checked['end'] as string))) {
    throw refuse('time range', `[${checked['start'] as string}, ${checked['end'] as string}) is empty: the end must come after the start`);
  }
  if ('notes' in checked && typeof checked['notes'] !== 'string') throw refuse('notes', `are ${shown(checked['notes'])}, not text`);
  const conditions = checked['conditions'] ?? {};
  if (!isObject(conditions)) throw refuse('conditions', `are ${shown(conditions)}, not an object`);
  for (const [key, type] of Object.entries(CONDITION_TYPES)) {
    const value = conditions[key];
    if (value === undefined) continue;
    if (type === 'number' ? !isFiniteNumber(value) : typeof value !== 'string') throw refuse(`condition ${key}`, `is ${shown(value)}, not a ${type}`);
  }
  checked['conditions'] = { ...conditions };
  const arrays = checked['arrays'] ?? [];
  if (!Array.isArray(arrays) || !arrays.every((link) => typeof link === 'string' && link !== '')) throw refuse('arrays', `are ${shown(arrays)}, not a list of array ids`);
  checked['arrays'] = [...arrays];
  return checked as ExperimentDocument;
}

/** The experiment's time range in ms since the epoch, if it has one. */
export function experimentRange(experiment: ExperimentDocument): { start: number; end: number } | undefined {
  return experiment.start !== undefined && experiment.end !== undefined ? { start: Date.parse(experiment.start), end: Date.parse(experiment.end) } : undefined;
}

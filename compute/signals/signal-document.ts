import type { BaseDocument } from '../../storage/documents';
import type { Doc } from '../../storage/types';
import { StorageError } from '../../storage/storage-error';
import { checkCalibration, type Calibration } from './calibration';
import { isIsoTime, isObject, shown, unusable } from './document-check';
import { FormulaError, parseFormula } from './formula';

/**
 * A named signal ("Langmuir_I"): what people ask for, whichever port carried it and whichever calibration applied.
 * Its bindings say, each for a set of experiments or a time range, which array and channel carry it and how raw values
 * become calibrated ones. Edits never delete a binding: a recalibration or rewiring ends the binding it replaces
 * (`until`, `replaced_by`) and adds a new one, so the history shows which applied when.
 */
export interface SignalDocument extends BaseDocument {
  portal_type: 'Signal';
  /** The name asked for; the title is kept equal to it. */
  name: string;
  /** The calibrated values' unit (a binding may say otherwise). */
  units: string;
  description?: string;
  /**
   * A derived signal's formula over other signals of the same experiment ("Langmuir_I / Langmuir_V", see formula.ts):
   * when set, the signal is computed from them and its bindings are not used.
   */
  formula?: string;
  bindings: SignalBinding[];
}

export interface SignalBinding {
  /** Stable within the signal, for edits and history. */
  id: string;
  /** Which experiments it holds for: listed ones, or those whose time range overlaps [from, to) (no `to`: open-ended). */
  valid: { experiments: string[] } | { from: string; to?: string };
  /** The Data Array carrying it: one array, or the experiment's array with this reference (the same port every shot). */
  array: { id: string } | { reference: string };
  /** 0-based channel of that array. */
  channel: number;
  calibration: Calibration;
  units: { raw: string; calibrated: string };
  /** When this binding was made; when it was replaced (it then no longer resolves) and by which binding. */
  since: string;
  until?: string;
  replaced_by?: string;
  note?: string;
}

/** A binding in force (not replaced by an edit). */
export function isCurrent(binding: SignalBinding): boolean {
  return binding.until === undefined;
}

/** A new signal's body (post it). */
export function newSignal(fields: { name: string; units?: string; description?: string; bindings?: SignalBinding[] }): SignalDocument {
  const now = new Date().toISOString();
  return {
    portal_type: 'Signal',
    title: fields.name,
    reference: `signal-${fields.name}`,
    modification_date: now,
    name: fields.name,
    units: fields.units ?? '',
    ...(fields.description !== undefined ? { description: fields.description } : {}),
    bindings: fields.bindings ?? [],
  };
}

/**
 * A stored document checked as a Signal: 400 naming the binding and field when one is wrong (the name, the bindings'
 * validity, array, channel, calibration or units decide what is read); a missing name is the title. Descriptive text
 * of the wrong type is made ''.
 * Returns a copy.
 */
export function checkSignal(doc: Doc, id: string): SignalDocument {
  if (doc['portal_type'] !== 'Signal') throw new StorageError(400, `“${id}” is not a Signal.`, { id });
  const refuse = (field: string, problem: string) => unusable('Signal', id, field, problem);
  const checked: Doc = { ...doc };
  for (const key of ['title', 'reference', 'modification_date', 'units']) if (typeof checked[key] !== 'string') checked[key] = '';
  // A signal made by "New signal" has only a title: that is its name until it is given one.
  if ((typeof checked['name'] !== 'string' || checked['name'].trim() === '') && (checked['title'] as string).trim() !== '') checked['name'] = checked['title'];
  if (typeof checked['name'] !== 'string' || checked['name'].trim() === '') throw refuse('name', `is ${shown(checked['name'])}: a signal needs a name to be asked for`);
  if ('description' in checked && typeof checked['description'] !== 'string') delete checked['description'];
  if (checked['formula'] === '' || checked['formula'] === null) delete checked['formula'];
  if ('formula' in checked) {
    if (typeof checked['formula'] !== 'string') throw refuse('formula', `is ${shown(checked['formula'])}, not a text`);
    try {
      parseFormula(checked['formula']);
    } catch (error) {
      if (error instanceof FormulaError) throw refuse('formula', `cannot be used: ${error.message}`);
      throw error;
    }
  }
  const bindings = checked['bindings'] ?? [];
  if (!Array.isArray(bindings)) throw refuse('bindings', `are ${shown(bindings)}, not a list`);
  const seen = new Set<string>();
  checked['bindings'] = bindings.map((binding, index) => {
    const checkedBinding = checkBinding(binding, (field, problem) => refuse(`binding ${index + 1} ${field}`, problem));
    if (seen.has(checkedBinding.id)) throw refuse(`binding ${index + 1} id`, `“${checkedBinding.id}” is used twice`);
    seen.add(checkedBinding.id);
    return checkedBinding;
  });
  return checked as SignalDocument;
}

function checkBinding(value: unknown, refuse: (field: string, problem: string) => StorageError): SignalBinding {
  if (!isObject(value)) throw refuse('', `is ${shown(value)}, not an object`);
  const { id, valid, array, channel, units, since, until, replaced_by: replacedBy, note } = value;
  if (typeof id !== 'string' || id === '') throw refuse('id', `is ${shown(id)}, not a text`);
  const checkedValid = checkValidity(valid, (problem) => refuse('validity', problem));
  let checkedArray: SignalBinding['array'];
  if (isObject(array) && typeof array['id'] === 'string' && array['id'] !== '') checkedArray = { id: array['id'] };
  else if (isObject(array) && typeof array['reference'] === 'string' && array['reference'] !== '') checkedArray = { reference: array['reference'] };
  else throw refuse('array', `is ${shown(array)}, not {id} or {reference}`);
  if (!Number.isSafeInteger(channel) || (channel as number) < 0) throw refuse('channel', `is ${shown(channel)}, not a whole number ≥ 0`);
  const calibration = checkCalibration(value['calibration'], (problem) => refuse('calibration', problem));
  if (!isObject(units) || typeof units['raw'] !== 'string' || typeof units['calibrated'] !== 'string') throw refuse('units', `are ${shown(units)}, not {raw, calibrated} texts`);
  if (!isIsoTime(since)) throw refuse('since', `is ${shown(since)}, not an ISO time`);
  if (until !== undefined && !isIsoTime(until)) throw refuse('until', `is ${shown(until)}, not an ISO time`);
  return {
    id,
    valid: checkedValid,
    array: checkedArray,
    channel: channel as number,
    calibration,
    units: { raw: units['raw'], calibrated: units['calibrated'] },
    since,
    ...(until !== undefined ? { until: until as string } : {}),
    ...(typeof replacedBy === 'string' ? { replaced_by: replacedBy } : {}),
    ...(typeof note === 'string' ? { note } : {}),
  };
}

function checkValidity(value: unknown, refuse: (problem: string) => StorageError): SignalBinding['valid'] {
  if (isObject(value) && Array.isArray(value['experiments'])) {
    const experiments = value['experiments'];
    if (!experiments.every((experiment) => typeof experiment === 'string' && experiment !== '')) throw refuse(`lists experiments ${shown(experiments)}, not ids`);
    return { experiments: [...(experiments as string[])] };
  }
  if (isObject(value) && 'from' in value) {
    const { from, to } = value;
    if (!isIsoTime(from)) throw refuse(`starts at ${shown(from)}, not an ISO time`);
    if (to === undefined) return { from };
    if (!isIsoTime(to) || !(Date.parse(from) < Date.parse(to))) throw refuse(`ends at ${shown(to)}, not an ISO time after ${from}`);
    return { from, to };
  }
  throw refuse(`is ${shown(value)}, not {experiments: [ids]} or {from, to}`);
}

/**
 * The signal after an edit of binding `replacedId` (recalibrated, rewired, or its validity changed): that binding ends
 * now and `next` (with a fresh id) begins. Without `replacedId`, `next` is added. For `Storage.update`: pure.
 */
export function editBinding(signal: SignalDocument, next: Omit<SignalBinding, 'id' | 'since'>, replacedId: string | undefined, now = new Date().toISOString()): SignalDocument {
  const taken = new Set(signal.bindings.map((binding) => binding.id));
  let number = signal.bindings.length + 1;
  while (taken.has(`b${number}`)) number += 1;
  const id = `b${number}`;
  if (replacedId !== undefined && !signal.bindings.some((binding) => binding.id === replacedId && isCurrent(binding))) {
    throw new StorageError(409, `Binding ${replacedId} of “${signal.name}” was replaced or removed meanwhile: reload the signal and edit its current binding.`, { binding: replacedId });
  }
  const bindings = signal.bindings.map((binding) => (binding.id === replacedId ? { ...binding, until: now, replaced_by: id } : binding));
  return { ...signal, modification_date: now, bindings: [...bindings, { ...next, id, since: now }] };
}

import { StorageError } from '../storage-error';
import type { Doc } from '../types';
import type { DataArrayDocument } from './data-array';
import { isDType } from './dtypes';

/**
 * A stored document checked as a Data Array. Documents arrive from other devices and servers, so any field may have any
 * JSON type. The fields the data is read by (dtype, shape, pyramid, time_channel) must be right, else a 400 says which is wrong. The
 * descriptive ones are made safe instead, so the array can still be shown: a text field that is not a string becomes ''
 * (title, reference, modification_date) or is left out (units.x, units.y, source, start_time); a sampling rate or x
 * origin that is not a positive / finite number is left out (the x axis is then the sample index); channel labels
 * that are not all strings and units that are not an object are left out, and so are process entries that are not objects.
 * Returns a copy: the stored document is not changed (a later write of the copy stores the safe version).
 */
export function checkDataArray(doc: Doc, id: string): DataArrayDocument {
  const refuse = (problem: string) => new StorageError(400, `“${id}” is not a usable Data Array: ${problem}. Delete it, or correct it where it was made and sync again.`, { id });
  if (doc['portal_type'] !== 'Data Array') throw new StorageError(400, `“${id}” is not a Data Array.`, { id });
  if (!isDType(doc['dtype'])) throw refuse(`its dtype is ${shown(doc['dtype'])}`);
  if (!isShape(doc['shape'])) throw refuse(`its shape is ${shown(doc['shape'])}, not [samples] or [samples, channels] in whole numbers`);
  if (!isPyramid(doc['pyramid'])) throw refuse(`its pyramid is ${shown(doc['pyramid'])}, not {base: a whole number ≥ 1, dtype: 'float32' or 'float64'}`);
  const channels = (doc['shape'] as number[])[1] ?? 1;
  // Which channel is time decides what the others mean: refused when wrong, like the shape.
  if ('time_channel' in doc && !isTimeChannel(doc['time_channel'], channels)) {
    throw refuse(`its time_channel is ${shown(doc['time_channel'])}, not a channel index below ${channels} with a value channel beside it`);
  }
  const checked: Doc = { ...doc };
  for (const key of ['title', 'reference', 'modification_date']) if (typeof checked[key] !== 'string') checked[key] = '';
  for (const key of ['source', 'start_time']) if (key in checked && typeof checked[key] !== 'string') delete checked[key];
  if ('sampling_rate' in checked && !isPositive(checked['sampling_rate'])) delete checked['sampling_rate'];
  if ('x_start' in checked && !Number.isFinite(checked['x_start'])) delete checked['x_start'];
  if ('units' in checked) {
    const units = textUnits(checked['units']);
    if (units) checked['units'] = units;
    else delete checked['units'];
  }
  const labels = checked['channel_labels'];
  if ('channel_labels' in checked && !(Array.isArray(labels) && labels.every((label) => typeof label === 'string'))) delete checked['channel_labels'];
  const process = checked['process'];
  if (Array.isArray(process)) checked['process'] = process.filter(isObject);
  else delete checked['process'];
  return checked as DataArrayDocument;
}

/** Whether `value` can be the time channel of an array of `channels` channels: an index, with at least one other channel. */
export function isTimeChannel(value: unknown, channels: number): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0 && (value as number) < channels && channels >= 2;
}

/** The document as a Data Array when it is a usable one (see `checkDataArray`), else undefined. */
export function asDataArray(doc: Doc, id: string): DataArrayDocument | undefined {
  try {
    return checkDataArray(doc, id);
  } catch (error) {
    if (error instanceof StorageError) return undefined;
    throw error;
  }
}

function isShape(value: unknown): value is [number] | [number, number] {
  if (!Array.isArray(value) || value.length < 1 || value.length > 2) return false;
  const [samples, channels = 1] = value as unknown[];
  return Number.isSafeInteger(samples) && (samples as number) >= 0 && Number.isSafeInteger(channels) && (channels as number) >= 1;
}

function isPyramid(value: unknown): value is DataArrayDocument['pyramid'] {
  if (!isObject(value)) return false;
  return Number.isSafeInteger(value['base']) && (value['base'] as number) >= 1 && (value['dtype'] === 'float32' || value['dtype'] === 'float64');
}

/** The string members of `units`; undefined when it is not an object. */
function textUnits(value: unknown): DataArrayDocument['units'] {
  if (!isObject(value)) return undefined;
  return {
    ...(typeof value['x'] === 'string' ? { x: value['x'] } : {}),
    ...(typeof value['y'] === 'string' ? { y: value['y'] } : {}),
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isPositive(value: unknown): boolean {
  return typeof value === 'number' && Number.isFinite(value) && value > 0;
}

/** A short printable form of a bad value, for the error message. */
function shown(value: unknown): string {
  const text = value === undefined ? 'missing' : JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

import { StorageError } from '../../storage/storage-error';

/**
 * Helpers for checking documents on read: they arrive from other devices and servers, so any field may have any JSON
 * type. A field the app works by that is wrong is refused with a 400 that names the document and the field.
 */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** An ISO 8601 time the Date parser reads (a date alone, or a date and time). */
export function isIsoTime(value: unknown): value is string {
  return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}/.test(value) && Number.isFinite(Date.parse(value));
}

/** A short printable form of a bad value, for an error message. */
export function shown(value: unknown): string {
  const text = value === undefined ? 'missing' : JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

/** The 400 for a document of `type` whose `field` is wrong: says which and what to do. */
export function unusable(type: string, id: string, field: string, problem: string): StorageError {
  return new StorageError(400, `“${id}” is not a usable ${type}: its ${field} ${problem}. Correct it on its page, or where it was made and sync again.`, { id, field });
}

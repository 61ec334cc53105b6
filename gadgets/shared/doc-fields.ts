import type { Doc } from '../../storage';

/** A document's string field, or '' when missing or not a string (documents may come from other clients). */
export function textField(doc: Doc | undefined, key: string): string {
  const value = doc?.[key];
  return typeof value === 'string' ? value : '';
}

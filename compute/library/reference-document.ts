import type { BaseDocument, Doc } from '../../storage';

/**
 * A Reference: one bibliography entry. `reference` is its citation key (the indexed field, so `[@key]` is one index
 * read); `authors` are BibTeX names (`Welch, Peter D.`, or `{World Health Organization}` for an institution), in order;
 * `fields` are the entry's other fields as text (journal, volume, pages, publisher, doi, url…). The document id is
 * derived from the key (referenceId), so two devices importing the same file write the same documents.
 */
export interface ReferenceDocument extends BaseDocument {
  portal_type: 'Reference';
  reference: string;
  /** The BibTeX entry type, lower case: article, book, inproceedings, misc… */
  entry_type: string;
  authors: string[];
  /** As written (`1967`, `2009a`, `in press`); '' when the entry has none. */
  year: string;
  fields: Record<string, string>;
  /** A PDF of the work, in the document's `data` attachment (chunked like an array's samples, so it can stay on the
   * sync server until kept offline). */
  pdf?: ReferencePdf;
}

export interface ReferencePdf {
  /** The file name it was attached from. */
  name: string;
  bytes: number;
}

/** What a user gives for a reference (by hand or from a .bib entry). */
export interface ReferenceContent {
  key: string;
  entry_type: string;
  title: string;
  authors: string[];
  year: string;
  fields: Record<string, string>;
}

/** A reference that cannot be kept as given: the message says which entry or field to fix. */
export class ReferenceError extends Error {
  override readonly name: string = 'ReferenceError';
  readonly status = 400;
}

/** Characters BibTeX and the citation syntax (`[@key]`, `\citep[key]`) cannot have in a key. */
const BAD_KEY = /[\s,{}()[\]#%"'=~\\@;]/;

export function referenceId(key: string): string {
  return `reference-${key}`;
}

/** Checks and tidies what was given; throws a ReferenceError naming the field to fix. */
export function newReference(content: ReferenceContent, date = new Date().toISOString()): ReferenceDocument {
  const key = content.key.trim();
  if (key === '') throw new ReferenceError('A reference needs a citation key (e.g. welch1967): type one.');
  if (BAD_KEY.test(key)) throw new ReferenceError(`The citation key “${key}” has a space or one of , { } ( ) [ ] # % " ' = ~ \\ @ ;: use letters, digits and - _ : . / only.`);
  const title = content.title.trim();
  if (title === '') throw new ReferenceError(`The reference “${key}” needs a title.`);
  const entryType = content.entry_type.trim().toLowerCase() || 'misc';
  if (!/^[a-z]+$/.test(entryType)) throw new ReferenceError(`The entry type “${content.entry_type}” of “${key}” is not a BibTeX type (article, book, misc…).`);
  const fields: Record<string, string> = {};
  for (const [name, value] of Object.entries(content.fields)) {
    const field = name.trim().toLowerCase();
    if (!/^[a-z][a-z0-9_-]*$/.test(field)) throw new ReferenceError(`The field name “${name}” of “${key}” is not a BibTeX field name.`);
    if (value.trim() !== '' && !['title', 'author', 'year'].includes(field)) fields[field] = value.trim();
  }
  return {
    portal_type: 'Reference',
    reference: key,
    title,
    entry_type: entryType,
    authors: content.authors.map((author) => author.trim()).filter((author) => author !== ''),
    year: content.year.trim(),
    fields,
    modification_date: date,
  };
}

/** A stored body read field by field (a synced document may hold anything); undefined when not a usable reference. */
export function referenceOf(doc: Doc): ReferenceDocument | undefined {
  if (doc['portal_type'] !== 'Reference' || typeof doc['reference'] !== 'string' || doc['reference'] === '') return undefined;
  const raw = typeof doc['fields'] === 'object' && doc['fields'] !== null ? (doc['fields'] as Record<string, unknown>) : {};
  const fields = Object.fromEntries(Object.entries(raw).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
  return {
    ...doc,
    portal_type: 'Reference',
    reference: doc['reference'],
    title: typeof doc['title'] === 'string' ? doc['title'] : '',
    entry_type: typeof doc['entry_type'] === 'string' ? doc['entry_type'] : 'misc',
    authors: Array.isArray(doc['authors']) ? doc['authors'].filter((author): author is string => typeof author === 'string') : [],
    year: typeof doc['year'] === 'string' ? doc['year'] : typeof doc['year'] === 'number' ? String(doc['year']) : '',
    fields,
    modification_date: typeof doc['modification_date'] === 'string' ? doc['modification_date'] : '',
    ...(pdfOf(doc['pdf']) ? { pdf: pdfOf(doc['pdf'])! } : {}),
  };
}

function pdfOf(value: unknown): ReferencePdf | undefined {
  const raw = value as Partial<ReferencePdf> | null;
  if (typeof raw !== 'object' || raw === null || typeof raw.name !== 'string' || typeof raw.bytes !== 'number' || !(raw.bytes > 0)) return undefined;
  return { name: raw.name, bytes: raw.bytes };
}

/** A BibTeX name as shown: `Welch, Peter D.` → `Peter D. Welch`, `{World Health Organization}` → without braces. */
export function displayName(name: string): string {
  const plain = (text: string) => text.replace(/[{}]/g, '').trim();
  if (/^\{.*\}$/.test(name.trim())) return plain(name);
  const parts = name.split(',').map(plain);
  if (parts.length === 1) return parts[0] ?? '';
  const [family = '', ...rest] = parts;
  const given = rest.length === 2 ? `${rest[1]} ${family}, ${rest[0]}` : `${rest.join(' ')} ${family}`;
  return given.trim();
}

/** The family name of a BibTeX name, for sorting by author. */
export function familyName(name: string): string {
  const trimmed = name.trim();
  if (/^\{.*\}$/.test(trimmed)) return trimmed.slice(1, -1).trim();
  if (trimmed.includes(',')) return (trimmed.split(',')[0] ?? '').replace(/[{}]/g, '').trim();
  return (trimmed.split(/\s+/).at(-1) ?? '').replace(/[{}]/g, '');
}

/** Authors as one line: `Welch`, `Welch and Müller`, `Welch et al.` (three or more). */
export function authorsShort(authors: readonly string[]): string {
  const families = authors.map(familyName);
  if (families.length <= 2) return families.join(' and ');
  return `${families[0]} et al.`;
}

/** Everything a hover on a citation says: title, authors, year. */
export function referenceSummary(reference: ReferenceDocument): string {
  const authors = reference.authors.map(displayName).join(', ');
  return [reference.title, authors, reference.year].filter((part) => part !== '').join(' — ');
}

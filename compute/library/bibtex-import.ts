// A .bib file as Reference documents, with @retorquere/bibtex-parser (BibTeX and BibLaTeX, @string, crossref, TeX
// accents to Unicode). All or nothing: the whole file is checked before anything is written, and a failed write
// puts back what was there, so a bad file never leaves part of itself in the bibliography.
import { parse, type Creator, type Entry } from '@retorquere/bibtex-parser';
import type { Doc, Storage } from '../../storage';
import { newReference, referenceId, ReferenceError, type ReferenceDocument } from './reference-document';

/** The file is not BibTeX the app can import: the message names the entry and what is wrong with it. */
export class BibtexError extends ReferenceError {
  override readonly name = 'BibtexError';
}

/** A parsed name in BibTeX's own form, so export writes it back as it came. */
function nameOf(creator: Creator): string {
  if (creator.name) return `{${creator.name.normalize('NFC')}}`;
  const family = [creator.prefix, creator.lastName].filter(Boolean).join(' ');
  return [family, creator.suffix, creator.firstName].filter((part): part is string => Boolean(part)).join(', ').normalize('NFC');
}

/** A field as text; composed Unicode (the parser turns `{\\"u}` into u + a combining mark; search and sort want ü). */
function textOf(value: unknown): string {
  if (typeof value === 'string') return value.normalize('NFC');
  if (Array.isArray(value)) return value.map((part) => (typeof part === 'string' ? part : nameOf(part as Creator))).join(' and ');
  return '';
}

function referenceOfEntry(entry: Entry, date: string): ReferenceDocument {
  const { author, editor, title, year, date: entryDate, ...rest } = entry.fields;
  const authors = (author ?? editor ?? []).map(nameOf);
  const fields = Object.fromEntries(Object.entries(rest).map(([name, value]) => [name, textOf(value)]));
  if (!author && editor) fields['editor_as_author'] = 'yes';
  try {
    return newReference({ key: entry.key, entry_type: entry.type, title: textOf(title), authors, year: textOf(year) || textOf(entryDate).slice(0, 4), fields }, date);
  } catch (error) {
    if (error instanceof ReferenceError) throw new BibtexError(`${error.message} (entry ${shortInput(entry.input)})`);
    throw error;
  }
}

function shortInput(input: string): string {
  const line = input.split('\n')[0] ?? input;
  return line.length > 60 ? `${line.slice(0, 57)}…` : line;
}

/**
 * The references of a .bib text, checked: a parse error, an entry without key or title, or a key given twice is a
 * BibtexError naming it. An empty file (or one with no entry) is an error too: nothing would be imported.
 */
export function parseBibtex(text: string, date = new Date().toISOString()): ReferenceDocument[] {
  const library = parse(text, {
    sentenceCase: false, // titles stay as written: the bibliography shows what the author typed
    // A TeX command the parser does not know stays as written rather than failing the whole file.
    unsupported: (_node, tex) => tex,
  });
  const first = library.errors[0];
  if (first) {
    const more = library.errors.length > 1 ? ` (and ${library.errors.length - 1} more problem${library.errors.length > 2 ? 's' : ''})` : '';
    throw new BibtexError(`This is not a BibTeX file the app can read: ${first.error}${more}. Fix it and import it again; nothing was imported.`);
  }
  if (library.entries.length === 0) throw new BibtexError('This file holds no BibTeX entry (@article{key, …}, @book{…}…): nothing was imported.');
  const seen = new Set<string>();
  return library.entries.map((entry) => {
    if (seen.has(entry.key)) throw new BibtexError(`The citation key “${entry.key}” is used by two entries of this file: give one another key. Nothing was imported.`);
    seen.add(entry.key);
    return referenceOfEntry(entry, date);
  });
}

export interface ImportResult {
  added: number;
  /** References already here under the same key, replaced by the file's entry. */
  replaced: number;
}

/** Imports every entry of the .bib text, or none (see the file comment). */
export async function importBibtex(storage: Storage, text: string, options: { signal?: AbortSignal } = {}): Promise<ImportResult> {
  const references = parseBibtex(text);
  const written: Array<{ id: string; before: Doc | undefined }> = [];
  try {
    for (const reference of references) {
      const id = referenceId(reference.reference);
      const seen: { before: Doc | undefined } = { before: undefined };
      await storage.update(
        id,
        (current) => {
          seen.before = current;
          // A PDF attached here stays attached when the entry is imported again.
          return current?.['pdf'] ? { ...reference, pdf: current['pdf'] } : { ...reference };
        },
        options.signal ? { signal: options.signal } : {},
      );
      written.push({ id, before: seen.before });
    }
  } catch (error) {
    // Put back what was there (no signal: the undo must run even when the import was cancelled).
    for (const { id, before } of written.reverse()) {
      try {
        await storage.update(id, () => before ?? null); // null: it was not there, remove it
      } catch (undoError) {
        throw new AggregateError([error, undoError], `The import failed and could not be fully undone: ${String(undoError)}`);
      }
    }
    throw error;
  }
  const replaced = written.filter(({ before }) => before !== undefined).length;
  return { added: written.length - replaced, replaced };
}

/** Imports a picked .bib file; resolves to what was imported. */
export async function importBibtexFile(storage: Storage, file: File): Promise<ImportResult> {
  return importBibtex(storage, await file.text());
}

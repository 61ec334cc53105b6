// A snippet into a notebook: its first file as a code cell at the end of an existing notebook, or as the one cell of
// a new notebook. The notebook is written with Storage.update, onto the version stored now, so cells added or edited
// elsewhere meanwhile are kept.
import { StorageError, type Storage } from '../../storage';
import { newCodeCell, notebookCells, withCells, type CodeCell } from '../notebook/notebook-document';
import type { SnippetDocument } from './snippet-document';

interface Options {
  signal?: AbortSignal;
}

/** The code cell a snippet becomes: its first file, in its language (a snippet always has a file). */
export function snippetCell(snippet: SnippetDocument): CodeCell {
  return newCodeCell(snippet.language, snippet.files[0]?.content ?? '');
}

/** Appends the snippet as a code cell to the notebook; resolves to the new cell's id. 404 when the notebook is gone. */
export async function insertSnippet(storage: Storage, notebookId: string, snippet: SnippetDocument, options: Options = {}): Promise<string> {
  const cell = snippetCell(snippet);
  await storage.update(
    notebookId,
    (current) => {
      if (!current || current['portal_type'] !== 'Notebook') throw new StorageError(404, `There is no notebook “${notebookId}” to insert into: choose another one.`, { id: notebookId });
      return { ...withCells(current, [...notebookCells(current), cell]), modification_date: new Date().toISOString() };
    },
    options.signal ? { signal: options.signal } : {},
  );
  return cell.id;
}

/** A new notebook holding the snippet as its one cell, titled after it; resolves to the notebook's id. */
export async function notebookOfSnippet(storage: Storage, snippet: SnippetDocument, options: Options = {}): Promise<string> {
  const id = crypto.randomUUID();
  const now = new Date().toISOString();
  await storage.put(id, { portal_type: 'Notebook', title: snippet.title, reference: `notebook-${now}`, modification_date: now, cells: [snippetCell(snippet)] }, options.signal ? { signal: options.signal } : {});
  return id;
}

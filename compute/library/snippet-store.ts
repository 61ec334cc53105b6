// Reading and writing snippets in a Storage: the list, one snippet, an edit as one update (onto the stored version,
// so an edit from another tab or a sync in between is never overwritten), forks, and the shipped snippets.
import { StorageError, isStorageError, type Storage } from '../../storage';
import { BUILTIN_SNIPPETS } from './builtin-snippets';
import { snippetOf, type SnippetDocument } from './snippet-document';

interface Options {
  signal?: AbortSignal;
}

const signalOf = ({ signal }: Options) => (signal ? { signal } : {});

/** Every snippet, with its id. */
export async function listSnippets(storage: Storage, options: Options = {}): Promise<Array<{ id: string; snippet: SnippetDocument }>> {
  const { rows } = await storage.allDocs({ query: 'portal_type:="Snippet"', include_docs: true, ...signalOf(options) });
  return rows.flatMap((row) => {
    const snippet = row.doc ? snippetOf(row.doc) : undefined;
    return snippet ? [{ id: row.id, snippet }] : [];
  });
}

/** One snippet; a StorageError 404 when missing, an Error when the document is not a snippet. */
export async function getSnippet(storage: Storage, id: string, options: Options = {}): Promise<SnippetDocument> {
  const doc = await storage.get(id, signalOf(options));
  const snippet = snippetOf(doc);
  if (!snippet) throw new Error(`“${id}” is a ${String(doc['portal_type'])}, not a snippet.`);
  return snippet;
}

/**
 * Applies `change` to the snippet as stored now, in one step. `change` returns the snippet unchanged (the same object)
 * to write nothing. Resolves to what is stored after.
 */
export async function updateSnippet(storage: Storage, id: string, change: (current: SnippetDocument) => SnippetDocument, options: Options = {}): Promise<SnippetDocument> {
  let result: SnippetDocument | undefined;
  await storage.update(
    id,
    (doc) => {
      const current = doc ? snippetOf(doc) : undefined;
      if (!current) throw new StorageError(404, `The snippet “${id}” is gone (deleted in another tab or by a sync).`, { id });
      const next = change(current);
      result = next;
      return next === current ? undefined : next; // `next` carries every field of the stored body (snippetOf keeps them)
    },
    signalOf(options),
  );
  if (!result) throw new Error(`The snippet “${id}” could not be read.`);
  return result;
}

/** The snippets forked from `id`. */
export async function forksOf(storage: Storage, id: string, options: Options = {}): Promise<Array<{ id: string; snippet: SnippetDocument }>> {
  return (await listSnippets(storage, options)).filter(({ snippet }) => snippet.forked_from?.id === id);
}

/** Adds the shipped snippets that are not there yet (a deleted one comes back only if it was never stored here). */
export async function addBuiltinSnippets(storage: Storage, options: Options = {}): Promise<number> {
  let added = 0;
  for (const [id, snippet] of BUILTIN_SNIPPETS) {
    try {
      await storage.get(id, signalOf(options));
    } catch (error) {
      if (!isStorageError(error, 404)) throw error;
      await storage.update(id, (current) => (current ? undefined : { ...snippet }), signalOf(options));
      added += 1;
    }
  }
  return added;
}

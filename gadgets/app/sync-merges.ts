// The document types the app merges when two devices changed the same document between syncs, instead of listing a
// conflict for the user. A snippet keeps both histories (every version of both devices; one shown, the other named):
// see compute/library mergeSnippetHistories. Its code loads when a snippet conflict first happens.
import type { DocumentMerge } from '../../storage/replicate';

export const mergeSyncedDocuments: DocumentMerge = async (local, remote) => {
  if (local['portal_type'] !== 'Snippet' || remote['portal_type'] !== 'Snippet') return undefined;
  const { mergeSnippetHistories, snippetOf } = await import('../../compute/library/snippet-document');
  const mine = snippetOf(local);
  const theirs = snippetOf(remote);
  return mine && theirs ? mergeSnippetHistories(mine, theirs) : undefined;
};

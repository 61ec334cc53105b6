// The document types the app merges when two devices changed the same document between syncs, instead of listing a
// conflict for the user. A snippet keeps both histories (every version of both devices; one shown, the other named):
// see compute/library mergeSnippetHistories. A notebook is merged cell by cell from the version both devices last had:
// see compute/notebook mergeNotebookVersions; a signal's bindings likewise (compute/signals mergeSignalVersions). Their
// code loads when such a conflict first happens.
import type { DocumentMerge } from '../../storage/replicate';

export const mergeSyncedDocuments: DocumentMerge = async (local, remote, base) => {
  if (local['portal_type'] === 'Notebook' && remote['portal_type'] === 'Notebook') {
    const { mergeNotebookVersions } = await import('../../compute/notebook/merge-notebook-versions');
    return mergeNotebookVersions(local, remote, base);
  }
  if (local['portal_type'] === 'Signal' && remote['portal_type'] === 'Signal') {
    const { mergeSignalVersions } = await import('../../compute/signals/merge-signal-versions');
    return base ? mergeSignalVersions(base, local, remote) : undefined;
  }
  if (local['portal_type'] !== 'Snippet' || remote['portal_type'] !== 'Snippet') return undefined;
  const { mergeSnippetHistories, snippetOf } = await import('../../compute/library/snippet-document');
  const mine = snippetOf(local);
  const theirs = snippetOf(remote);
  return mine && theirs ? mergeSnippetHistories(mine, theirs) : undefined;
};

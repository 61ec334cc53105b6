export * from './snippet-document';
export * from './snippet-search';
export { snippetUse, recordSnippetUse, type SnippetUse, type UsageStore } from './snippet-usage';
export { listSnippets, getSnippet, updateSnippet, forksOf, addBuiltinSnippets } from './snippet-store';
export { BUILTIN_SNIPPETS, BUILTIN_AUTHOR } from './builtin-snippets';
export { insertSnippet, notebookOfSnippet, snippetCell } from './snippet-notebook';
export * from './reference-document';
export { listReferences, referencesByKey, searchReferences, type ListedReference, type ReferenceSort } from './reference-store';
export { toBibtex, entryBibtex, bibtexValue } from './bibtex-export';
export { attachPdf, removePdf } from './reference-pdf';
export { citationAt, citedKeys, lookUpCitations, CITATION, CITATION_START, type Citation, type CitedReference, type CitationLookup } from './citations';
// Not here: bibtex-import.ts (importBibtex, parseBibtex), which brings the BibTeX parser (~90 KB gzip). Import it from its
// file, lazily, where a .bib is read.

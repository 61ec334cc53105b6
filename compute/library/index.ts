export * from './snippet-document';
export * from './snippet-search';
export { snippetUse, recordSnippetUse, type SnippetUse, type UsageStore } from './snippet-usage';
export { listSnippets, getSnippet, updateSnippet, forksOf, addBuiltinSnippets } from './snippet-store';
export { BUILTIN_SNIPPETS, BUILTIN_AUTHOR } from './builtin-snippets';
export { insertSnippet, notebookOfSnippet, snippetCell } from './snippet-notebook';

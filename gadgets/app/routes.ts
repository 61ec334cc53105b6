import type { RouteDefinition } from '../shared/router';
import { modules } from '../shared/modules';

/** Modules with a list page of their own instead of the common one (document-list-page.ts), by module path. */
const ownListPages: Partial<Record<string, Pick<RouteDefinition, 'tag' | 'load'>>> = {
  snippets: { tag: 'fs-snippets-page', load: () => import('../pages/library/snippets-page') },
  bibliography: { tag: 'fs-bibliography-page', load: () => import('../pages/library/bibliography-page') },
};

/** One list page per document module (Data Streams, Data Arrays, Images, Notebooks…). */
const listRoutes: RouteDefinition[] = modules
  .filter((module) => module.list)
  .map((module) => ({
    pattern: module.path,
    title: module.label,
    tag: ownListPages[module.path]?.tag ?? 'fs-document-list-page',
    load: ownListPages[module.path]?.load ?? (() => import('../pages/document-list-page')),
    defaults: { module: module.path },
  }));

/**
 * Every page of the app. Pages load lazily: a route's module is imported the first time it is shown.
 * To add a page: write a gadget in gadgets/pages/ (parts pages share are in gadgets/shared/), then add one entry here (first match wins).
 */
export const routes: RouteDefinition[] = [
  { pattern: '', title: 'Fieldscope', tag: 'fs-front-page', load: () => import('../pages/front-page') },
  { pattern: 'settings', title: 'Settings', tag: 'fs-settings-page', load: () => import('../pages/settings-page') },
  ...listRoutes,
  {
    pattern: 'playground',
    title: 'Gadget playground',
    tag: 'fs-gadget-playground',
    load: () => import('../core/playground/playground-gadget'),
  },
  { pattern: 'remotes', title: 'Remotes', tag: 'fs-remotes-page', load: () => import('../pages/remotes/remotes-page') },
  { pattern: 'conflicts', title: 'Conflicts', tag: 'fs-conflicts-page', load: () => import('../pages/remotes/conflicts-page') },
  { pattern: 'record', title: 'Record', tag: 'fs-record-page', load: () => import('../pages/data/record-page') },
  { pattern: 'import', title: 'Import files', tag: 'fs-import-page', load: () => import('../pages/data/import-page') },
  { pattern: 'stream/:id', title: 'Data Stream', tag: 'fs-stream-page', load: () => import('../pages/data/stream-page') },
  { pattern: 'array/:id', title: 'Data Array', tag: 'fs-array-page', load: () => import('../pages/data/array-page') },
  { pattern: 'image/:id', title: 'Image', tag: 'fs-image-page', load: () => import('../pages/data/image-page') },
  { pattern: 'statistics/:id', title: 'Statistics', tag: 'fs-statistics-page', load: () => import('../pages/statistics/statistics-page') },
  { pattern: 'snippet/:id', title: 'Snippet', tag: 'fs-snippet-page', load: () => import('../pages/library/snippet-page') },
  { pattern: 'reference/:id', title: 'Reference', tag: 'fs-reference-page', load: () => import('../pages/library/reference-page') },
  { pattern: 'error-report/:id', title: 'Error Report', tag: 'fs-error-report-page', load: () => import('../pages/error-report-page') },
  { pattern: 'signal/:id', title: 'Signal', tag: 'fs-signal-page', load: () => import('../pages/signals/signal-page') },
  { pattern: 'experiment/:id', title: 'Experiment', tag: 'fs-experiment-page', load: () => import('../pages/signals/experiment-page') },
  { pattern: 'notebook/:id', title: 'Notebook', tag: 'fs-notebook-page', load: () => import('../pages/notebook/notebook-page') },
];

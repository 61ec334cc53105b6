import type { RouteDefinition } from './router';

/**
 * Every page of the app. Pages load lazily: a route's module is imported the first time it is shown.
 * To add a page: write a gadget in gadgets/pages/, then add one entry here (first match wins).
 */
export const routes: RouteDefinition[] = [
  { pattern: '', title: 'Fieldscope', tag: 'fs-front-page', load: () => import('../pages/front-page') },
  { pattern: 'settings', title: 'Settings', tag: 'fs-settings-page', load: () => import('../pages/settings-page') },
];

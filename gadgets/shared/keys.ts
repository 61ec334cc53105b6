import { acquisitionKey } from '../core';
import type { Storage } from '../../storage';
import type { SyncManager } from '../../storage/sync';

/**
 * What every gadget can acquire from the app shell (the root gadget). Pages and widgets reach the app only through
 * these keys — never through globals — so a gadget works the same inside another parent that provides them (a test
 * root, a sandbox host, another app).
 */

/** The app's storage: the local IndexedDB stack (query over uuid over indexeddb), reading data not kept here from the sync server. */
export const storageKey = acquisitionKey<[], Storage>('storage');

/** Goes to a hash link, e.g. `#/array/abc?start=0&end=100`; `replace` keeps the back button on the previous page. */
export const navigateKey = acquisitionKey<[hash: string, options?: { replace?: boolean }], void>('navigate');

/** Shows a short message to the user (a toast, also read by screen readers). */
export const notifyKey = acquisitionKey<[message: string, kind?: 'info' | 'error'], void>('notify');

/** Shows an error in the app's error panel and keeps it as an Error Report document. */
export const reportErrorKey = acquisitionKey<[error: unknown], void>('reportError');

/** Sets the page title shown in the header (and the document title). */
export const pageTitleKey = acquisitionKey<[title: string], void>('pageTitle');

/** The app's sync manager: remotes, live sync, its status and conflicts. */
export const syncKey = acquisitionKey<[], SyncManager>('sync');

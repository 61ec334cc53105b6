import { afterEach, describe, expect, it } from 'vitest';
import { html } from 'lit';
import { Gadget } from '../core';
import { define, until } from '../core/test-helpers';
import { storageKey, syncKey } from './keys';
import { createLocalStorage, type Storage } from '../../storage';
import { SyncManager } from '../../storage/sync';
import './keep-offline';
import type { KeepOffline } from './keep-offline';

/** Stands in for the app shell: the device's storage and its sync manager (real, on IndexedDB, no remote). */
class SyncRoot extends Gadget {
  storage: Storage | undefined;
  manager: SyncManager | undefined;
  constructor() {
    super();
    this.provide(storageKey, () => this.storage!);
    this.provide(syncKey, () => this.manager!);
  }
  override render() {
    return html`<slot></slot>`;
  }
}
const rootTag = define(SyncRoot, 'test-sync-root');

const mounted: Element[] = [];
afterEach(() => {
  for (const element of mounted.splice(0)) element.remove();
});

describe('<fs-keep-offline>', () => {
  it('says an array is still arriving while only part of its data is here, never that it is here or only on the server', async () => {
    const name = `keep-offline-${Date.now()}`;
    const storage = createLocalStorage(name);
    await storage.put('array', { portal_type: 'Data Array', title: 'pulled in part' });
    await storage.putAttachment('array', 'data', new Uint8Array(1024 * 1024));
    const root = document.createElement(rootTag) as SyncRoot;
    root.storage = storage;
    root.manager = new SyncManager(storage, { stateName: `${name}-sync` });
    const gadget = document.createElement('fs-keep-offline') as KeepOffline;
    gadget.setAttribute('doc-id', 'array');
    gadget.setAttribute('expected-bytes', String(3 * 1024 * 1024));
    root.append(gadget);
    document.body.append(root);
    mounted.push(root);

    await until(() => gadget.where !== undefined);
    expect(gadget.where).toBe('arriving');
    expect(gadget.shadowRoot!.textContent).toContain('Arriving: 1.0 MB of 3.1 MB on this device');
  });
});

import { html } from 'lit';
import { Gadget } from '../../core';
import { define } from '../../core/test-helpers';
import { storageKey } from '../../shared/keys';
import type { Storage } from '../../../storage';

/** Stands in for the app shell in browser tests: provides `storage` to the gadgets inside it (shown through a slot). */
export class StorageRoot extends Gadget {
  storage: Storage | undefined;
  constructor() {
    super();
    this.provide(storageKey, () => {
      if (!this.storage) throw new Error('no storage yet');
      return this.storage;
    });
  }
  override render() {
    return html`<slot></slot>`;
  }
}

export const storageRootTag = define(StorageRoot, 'test-storage-root');

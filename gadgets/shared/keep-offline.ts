import { css, html, nothing, type PropertyValues } from 'lit';
import { Gadget, untilAborted } from '../core';
import { notifyKey, storageKey, syncKey } from './keys';
import { messageOf } from './error-report';
import { locateData, type DataLocation } from './data-location';
import { pageStyles } from './page-styles';
import { formatBytes } from './format-bytes';

/**
 * Where a document's data is (`<fs-keep-offline doc-id=… expected-bytes=…>`): on this device, or on the sync server
 * and read from it as it is viewed — with a "Keep offline" button that brings it here for field work without a
 * network, and "Free space on this device" once the server has it. Large synced arrays come without their data until
 * kept (see SyncManager `keepOfflineBytes`).
 */
export class KeepOffline extends Gadget {
  static override properties = {
    docId: { attribute: 'doc-id' },
    expectedBytes: { attribute: 'expected-bytes', type: Number },
    where: { state: true },
    busy: { state: true },
    hereBytes: { state: true },
  };
  declare docId: string;
  /** Bytes the data should have (from the document); with none, there is nothing to keep. */
  declare expectedBytes: number;
  declare where: DataLocation | undefined;
  declare busy: boolean;
  /** Bytes of the data on this device (shown while it arrives). */
  declare hereBytes: number;

  constructor() {
    super();
    this.docId = '';
    this.expectedBytes = 0;
    this.where = undefined;
    this.busy = false;
    this.hereBytes = 0;
    this.service(async (signal) => {
      // After each sync, where the data is may have changed (sent to the server, freed or kept from another page).
      const sync = await this.acquireWith({ signal }, syncKey);
      let lastSync = sync.status.value.lastSync;
      const subscription = sync.status.subscribe((status) => {
        // A round ended here ('idle') or in the tab that syncs for this one (its time is relayed).
        const synced = status.state === 'idle' || status.lastSync !== lastSync;
        lastSync = status.lastSync;
        // Not while keeping or freeing it: that action checks when it is done (a half-fetched array is not "here").
        if (synced && this.docId && !this.busy) void this.check(this.docId).catch(() => undefined);
      });
      await untilAborted(signal);
      subscription.unsubscribe();
    });
  }

  private readonly check = this.job(
    async (signal, id: string) => {
      const [storage, sync] = await Promise.all([this.acquireWith({ signal }, storageKey), this.acquireWith({ signal }, syncKey)]);
      const { location, hereBytes } = await locateData(storage, sync, id, this.expectedBytes, signal);
      this.hereBytes = hereBytes;
      return location;
    },
    (where) => (this.where = where),
  );

  protected override willUpdate(changed: PropertyValues<this>): void {
    if ((changed.has('docId') || changed.has('expectedBytes')) && this.docId) void this.check(this.docId).catch(() => undefined);
  }

  private async keep(): Promise<void> {
    this.busy = true;
    try {
      const sync = await this.acquire(syncKey);
      await sync.pin(this.docId, true);
      void this.acquire(notifyKey, 'Kept offline: this data is now on this device.');
      await this.check(this.docId);
    } catch (error) {
      void this.acquire(notifyKey, `It could not be kept offline: ${messageOf(error)} Try again when connected.`, 'error');
    } finally {
      this.busy = false;
    }
  }

  private async free(): Promise<void> {
    this.busy = true;
    try {
      const sync = await this.acquire(syncKey);
      const bytes = await sync.release(this.docId);
      void this.acquire(notifyKey, `${formatBytes(bytes)} freed on this device: the data stays on the sync server.`);
      await this.check(this.docId);
    } catch (error) {
      void this.acquire(notifyKey, `The space could not be freed: ${messageOf(error)}`, 'error');
    } finally {
      this.busy = false;
    }
  }

  override render() {
    switch (this.where) {
      case 'here':
        return html`<span>On this device</span>`;
      case 'here-only':
        return html`<span>On this device only: the next sync sends it to the server</span>`;
      case 'here-synced':
        return html`<span>On this device and the sync server</span>
          <button @click=${() => void this.free()} ?disabled=${this.busy}>${this.busy ? 'Freeing…' : 'Free space on this device'}</button>`;
      case 'arriving':
        return html`<span role="status">Arriving: ${formatBytes(this.hereBytes)} of ${formatBytes(this.expectedBytes)} on this device, the rest is read from the sync server until the sync brings it</span>`;
      case 'kept':
        return html`<span>On the sync server; kept offline from the next sync</span>`;
      case 'server':
        return html`<span>On the sync server, read as you view it</span>
          <button @click=${() => void this.keep()} ?disabled=${this.busy}>${this.busy ? 'Downloading…' : 'Keep offline'}</button>`;
      default:
        return nothing;
    }
  }

  static override styles = [
    pageStyles,
    css`
      :host {
        display: inline-flex;
        flex-wrap: wrap;
        gap: 0.75rem;
        align-items: center;
      }
    `,
  ];
}

customElements.define('fs-keep-offline', KeepOffline);

import { LitElement, css, html, nothing } from 'lit';
import { pageStyles } from '../shared/page-styles';
import { requestPersistence, type Persistence } from '../shared/persistence';
import { formatBytes } from '../shared/format-bytes';
import type { BytesStoreInUse } from '../../storage/local-storage';

/** Settings and about: storage persistence, usage against quota, app version. */
export class SettingsPage extends LitElement {
  static override properties = {
    params: { attribute: false },
    persistence: { state: true },
    usage: { state: true },
    quota: { state: true },
    bytesStore: { state: true },
    leaveHeavy: { state: true },
  };
  declare params: Record<string, string>;
  declare persistence: Persistence | 'unknown';
  declare usage: number | undefined;
  declare quota: number | undefined;
  declare bytesStore: BytesStoreInUse | undefined;
  /** Whether this device leaves heavy chain steps to the server workers (undefined until read). */
  declare leaveHeavy: boolean | undefined;

  constructor() {
    super();
    this.params = {};
    this.persistence = 'unknown';
    this.usage = undefined;
    this.quota = undefined;
    this.bytesStore = undefined;
    this.leaveHeavy = undefined;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.refresh();
  }

  /** Shows the answer to the app's start-up request for persistence, and the current usage. */
  private async refresh(): Promise<void> {
    this.persistence = await requestPersistence();
    const estimate = await navigator.storage?.estimate?.();
    this.usage = estimate?.usage;
    this.quota = estimate?.quota;
    // The storage code loads lazily (as the app's storage does); this asks only where its bytes go.
    this.bytesStore = await (await import('../../storage/local-storage')).bytesStoreInUse();
    const { readChainSettings } = await import('../../compute/chain/chain-settings');
    this.leaveHeavy = (await readChainSettings(await chainState())).leaveHeavyToServer;
  }

  private async setLeaveHeavy(event: Event): Promise<void> {
    const leave = (event.target as HTMLInputElement).checked;
    const { setLeaveHeavyToServer } = await import('../../compute/chain/chain-settings');
    await setLeaveHeavyToServer(await chainState(), leave);
    this.leaveHeavy = leave;
  }

  /** The browser may change its mind (more engagement, app installed): ask once more. */
  private async askAgain(): Promise<void> {
    this.persistence = (await navigator.storage.persist()) ? 'persisted' : 'refused';
  }

  override render() {
    return html`
      <h2>Storage on this device</h2>
      ${this.renderPersistence()} ${this.renderUsage()} ${this.renderBytesStore()}
      <h2>Processing</h2>
      <p>
        <label>
          <input type="checkbox" data-setting="leave-heavy" .checked=${this.leaveHeavy === true} ?disabled=${this.leaveHeavy === undefined} @change=${this.setLeaveHeavy} />
          Leave heavy steps to the server
        </label>
      </p>
      <p class="hint">Decoding recordings and computing spectra take this device's battery and time. When the server this device
        syncs with runs Fieldscope's workers, they do these steps and the results arrive by sync; the light steps
        (statistics) still run here. Steps of documents the server has are never done twice: this device and the server
        claim each step before doing it.</p>
      <h2>About</h2>
      <table>
        <tr><th scope="row">Version</th><td>${__FIELDSCOPE_BUILD__}</td></tr>
        <tr><th scope="row">Works offline</th><td>${'serviceWorker' in navigator && navigator.serviceWorker.controller ? 'Yes, this version is stored on the device' : 'After the next visit'}</td></tr>
      </table>
    `;
  }

  private renderPersistence() {
    switch (this.persistence) {
      case 'persisted':
        return html`<p class="ok" data-persistence="persisted">Data on this device is kept: the browser will not clear it to free space.</p>`;
      case 'refused':
        return html`<div class="warning" role="alert" data-persistence="refused">
          <p><strong>The browser did not agree to keep Fieldscope's data.</strong> It may clear recordings that are not synced when
          the device runs low on space. Install Fieldscope (add to home screen) or bookmark it and try again, and sync to a remote
          to keep a copy.</p>
          <button @click=${this.askAgain}>Ask again</button>
        </div>`;
      case 'unsupported':
        return html`<p class="warning" data-persistence="unsupported">This browser cannot keep data on request: sync often to keep a copy.</p>`;
      default:
        return html`<p data-persistence="unknown">Checking whether the browser keeps data on this device…</p>`;
    }
  }

  private renderUsage() {
    if (this.usage === undefined || this.quota === undefined) return nothing;
    const share = this.quota > 0 ? this.usage / this.quota : 0;
    return html`<p class="usage">
      <label for="usage">Used ${formatBytes(this.usage)} of ${formatBytes(this.quota)} available to Fieldscope</label>
      <progress id="usage" max="1" value=${share}></progress>
    </p>`;
  }

  private renderBytesStore() {
    if (!this.bytesStore) return nothing;
    return this.bytesStore.kind === 'opfs'
      ? html`<p data-bytes-store="opfs">Array and recording bytes are kept in the browser's private file system (OPFS), read and written at disk speed.</p>`
      : html`<p data-bytes-store="indexeddb">Array and recording bytes are kept in IndexedDB, because ${this.bytesStore.reason ?? 'the private file system is not available'}.
          Large arrays read more slowly than in a browser with the private file system (current Chrome, Edge, Firefox or Safari).</p>`;
  }

  static override styles = [
    pageStyles,
    css`
      .usage {
        display: flex;
        flex-direction: column;
        gap: 0.3rem;
        max-width: 30rem;
      }
      progress {
        width: 100%;
        height: 1rem;
      }
      table {
        max-width: 40rem;
      }
      h2:not(:first-child) {
        margin-top: 2rem;
      }
    `,
  ];
}

/** The chain's own database, where its settings are kept (loaded lazily, as the app's storage is). */
async function chainState() {
  const [{ IndexedDBStorage }, { CHAIN_STATE_NAME }] = await Promise.all([import('../../storage/indexeddb/indexeddb-storage'), import('../../compute/chain/chain-settings')]);
  return new IndexedDBStorage({ name: CHAIN_STATE_NAME });
}

customElements.define('fs-settings-page', SettingsPage);

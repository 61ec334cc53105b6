import { css, html, nothing } from 'lit';
import { Gadget } from '../core';
import { notifyKey, syncKey } from '../app/keys';
import { messageOf } from '../app/error-report';
import type { RemoteConfig, SyncManager, SyncStatus } from '../../storage/sync';
import { pageStyles } from './page-styles';
import './offline-data';

/** The local sync server started by `npm start`, proxied on the app's own origin. */
const LOCAL_SERVER = '/db/';
const DEFAULT_DATABASE = 'fieldscope';

/**
 * Remotes (`#/remotes`): the servers this device syncs with. A remote is checked before it is saved (reachable, name
 * and password accepted, database there or created), with a message for each failure; no password is kept.
 */
export class RemotesPage extends Gadget {
  static override properties = {
    params: { attribute: false },
    remotes: { state: true },
    status: { state: true },
    checking: { state: true },
    problem: { state: true },
    localServer: { state: true },
  };

  declare params: Record<string, string>;
  declare remotes: RemoteConfig[] | undefined;
  declare status: SyncStatus | undefined;
  declare checking: boolean;
  declare problem: string | undefined;
  /** Whether the local sync server answers on this origin. */
  declare localServer: boolean;
  private manager: SyncManager | undefined;

  constructor() {
    super();
    this.params = {};
    this.remotes = undefined;
    this.status = undefined;
    this.checking = false;
    this.problem = undefined;
    this.localServer = false;
    this.service(async (signal) => {
      const manager = await this.acquireWith({ signal }, syncKey);
      this.manager = manager;
      const subscription = manager.status.subscribe((status) => (this.status = status));
      signal.addEventListener('abort', () => subscription.unsubscribe(), { once: true });
      this.remotes = await manager.remotes();
      this.localServer = await fetch(LOCAL_SERVER, { signal, headers: { accept: 'application/json' } })
        .then(async (response) => response.ok && 'version' in ((await response.json()) as object))
        .catch(() => false);
    });
  }

  private async add(url: string, title: string, user: string, password: string): Promise<void> {
    const manager = this.manager;
    if (!manager) return;
    this.checking = true;
    this.problem = undefined;
    try {
      const { verifyRemote } = await import('../../storage/sync');
      const check = await verifyRemote(url, { ...(user ? { user } : {}), ...(password ? { password } : {}) });
      await manager.addRemote({ url, title, ...(check.user ? { user: check.user } : {}) });
      this.remotes = await manager.remotes();
      void this.acquire(notifyKey, check.created ? `Created the database and added ${title}.` : `Added ${title}: syncing.`);
    } catch (error) {
      this.problem = messageOf(error);
    } finally {
      this.checking = false;
    }
  }

  private onSubmit(event: SubmitEvent): void {
    event.preventDefault();
    const form = new FormData(event.target as HTMLFormElement);
    const server = String(form.get('server') ?? '').trim();
    const database = String(form.get('database') ?? '').trim();
    if (!server || !database) {
      this.problem = 'Enter the server address and the database name.';
      return;
    }
    if (!/^[a-z][a-z0-9_$()+/-]*$/.test(database)) {
      this.problem = 'A database name starts with a lower-case letter and has only lower-case letters, digits and _$()+-/.';
      return;
    }
    const url = `${server.replace(/\/+$/, '')}/${encodeURIComponent(database)}`;
    void this.add(url, `${database} on ${server}`, String(form.get('user') ?? '').trim(), String(form.get('password') ?? ''));
    (event.target as HTMLFormElement).querySelector<HTMLInputElement>('input[name=password]')!.value = '';
  }

  private async forgetRemote(remote: RemoteConfig): Promise<void> {
    if (!confirm(`Stop syncing with ${remote.title}? Data on this device and on the server stays.`)) return;
    await this.manager?.removeRemote(remote.id);
    this.remotes = await this.manager?.remotes();
  }

  private async signOut(remote: RemoteConfig): Promise<void> {
    try {
      await this.manager?.signOut(remote.id);
      this.remotes = await this.manager?.remotes();
      void this.acquire(notifyKey, `Signed out of ${remote.title}: it syncs again once you sign in (remove it, then add it with your name and password).`);
    } catch (error) {
      void this.acquire(notifyKey, `Could not sign out: ${messageOf(error)}`, 'error');
    }
  }

  override render() {
    const status = this.status;
    return html`
      <h2>Remotes</h2>
      ${status && status.state !== 'none' // with no remote, the hint below says so: the status would send users to this very page
        ? html`<p class="status ${status.state}" role="status">
            ${status.message}
            ${status.lastSync ? html`<br /><small>Last synced ${new Date(status.lastSync).toLocaleString()}.</small>` : nothing}
            ${status.conflicts > 0 ? html`<br /><a href="#/conflicts">${status.conflicts} conflict${status.conflicts === 1 ? '' : 's'} to settle</a>` : nothing}
          </p>`
        : nothing}
      ${this.remotes && this.remotes.length > 0
        ? html`<ul class="remotes">
              ${this.remotes.map(
                (remote) => html`<li>
                  <span><strong>${remote.title}</strong><br /><small>${remote.url}${remote.user ? ` · signed in as ${remote.user}` : ''}</small></span>
                  <span class="actions">
                    ${remote.user ? html`<button class="quiet" @click=${() => void this.signOut(remote)}>Sign out</button>` : nothing}
                    <button class="danger" @click=${() => void this.forgetRemote(remote)}>Remove</button>
                  </span>
                </li>`,
              )}
            </ul>
            <p class="actions">
              <button @click=${() => this.manager?.syncSoon()} ?disabled=${status?.state === 'syncing'}>Sync now</button>
              <button class="quiet" @click=${() => this.manager?.pause(status?.state !== 'paused')}>${status?.state === 'paused' ? 'Resume sync' : 'Pause sync'}</button>
            </p>
            <h3>Large data: on this device or on the server</h3>
            <fs-offline-data></fs-offline-data>`
        : html`<p class="hint">This device does not sync yet: everything stays here until you add a remote.</p>`}
      ${this.localServer && !this.remotes?.some((remote) => remote.url.startsWith(LOCAL_SERVER))
        ? html`<p class="offer">
            The local sync server is running.
            <button @click=${() => void this.add(`${LOCAL_SERVER}${DEFAULT_DATABASE}`, 'Local sync server', '', '')} ?disabled=${this.checking}>Sync with it</button>
          </p>`
        : nothing}
      <form @submit=${(event: SubmitEvent) => this.onSubmit(event)}>
        <h3>Add a remote</h3>
        <label>Server address <input name="server" required value=${LOCAL_SERVER} placeholder="https://couch.example.org" autocomplete="url" /></label>
        <label>Database <input name="database" required value=${DEFAULT_DATABASE} /></label>
        <label>Name (optional) <input name="user" autocomplete="username" /></label>
        <label>Password (optional) <input name="password" type="password" autocomplete="current-password" /></label>
        <p class="hint">The password is used once to sign in; the browser keeps the session, Fieldscope keeps no password.</p>
        <button type="submit" ?disabled=${this.checking}>${this.checking ? 'Checking…' : 'Check and add'}</button>
        ${this.problem ? html`<p class="error" role="alert">${this.problem}</p>` : nothing}
      </form>
    `;
  }

  static override styles = [
    pageStyles,
    css`
      .remotes {
        list-style: none;
        padding: 0;
        margin: 0 0 1rem;
      }
      .remotes li {
        display: flex;
        justify-content: space-between;
        align-items: center;
        gap: 1rem;
        padding: 0.6rem 0;
        border-bottom: 1px solid var(--border, #c9d6da);
        overflow-wrap: anywhere;
      }
      .actions {
        display: flex;
        gap: 0.75rem;
        flex-wrap: wrap;
      }
      button.quiet {
        background: transparent;
        color: var(--accent, #0f5c6e);
      }
      .status.error {
        color: var(--danger, #a3201c);
      }
      .offer {
        display: flex;
        gap: 1rem;
        align-items: center;
        flex-wrap: wrap;
      }
      form {
        display: grid;
        gap: 0.6rem;
        max-width: 32rem;
        margin-top: 1.5rem;
      }
      form h3 {
        margin: 0;
      }
    `,
  ];
}

customElements.define('fs-remotes-page', RemotesPage);

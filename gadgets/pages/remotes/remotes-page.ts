import { css, html, nothing } from 'lit';
import { Gadget } from '../../core';
import { notifyKey, syncKey } from '../../shared/keys';
import { messageOf } from '../../shared/error-report';
import type { RemoteConfig, SyncManager, SyncStatus } from '../../../storage/sync';
import { maskCredentials } from '../../../storage/remote/mask-credentials';
import { isUnencryptedRemote, splitCredentials } from '../../../storage/sync/remote-address';
import { pageStyles } from '../../shared/page-styles';
import './offline-data';
import './remote-subset';

/** The local sync server started by `npm start`, proxied on the app's own origin. */
const LOCAL_SERVER = '/db/';
const DEFAULT_DATABASE = 'fieldscope';
/** The admin `npm start` creates for the local sync server. */
const LOCAL_ADMIN = 'admin';
const localSignInHint = html`The local sync server's name and password: <code>npm start</code> printed them at its first start, and keeps
  them in <code>.data/couch/admin.json</code> on the computer that runs it.`;

/**
 * Remotes (`#/remotes`): the servers this device syncs with. A remote is checked before it is saved (reachable, name
 * and password accepted, database there or created), with a message for each failure. Signing in uses the server's
 * `_session`: the browser keeps the session cookie, no password is kept. A remote whose session ended offers "Sign in".
 */
export class RemotesPage extends Gadget {
  static override properties = {
    params: { attribute: false },
    remotes: { state: true },
    status: { state: true },
    checking: { state: true },
    problem: { state: true },
    localServer: { state: true },
    address: { state: true },
    signInProblem: { state: true },
  };

  declare params: Record<string, string>;
  declare remotes: RemoteConfig[] | undefined;
  declare status: SyncStatus | undefined;
  declare checking: boolean;
  declare problem: string | undefined;
  /** Whether the local sync server answers on this origin. */
  declare localServer: boolean;
  /** The server address being typed, for the warning about unencrypted addresses. */
  declare address: string;
  declare signInProblem: string | undefined;
  private manager: SyncManager | undefined;

  constructor() {
    super();
    this.params = {};
    this.remotes = undefined;
    this.status = undefined;
    this.checking = false;
    this.problem = undefined;
    this.localServer = false;
    this.address = LOCAL_SERVER;
    this.signInProblem = undefined;
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
      const { verifyRemote } = await import('../../../storage/sync');
      const check = await verifyRemote(url, { ...(user ? { user } : {}), ...(password ? { password } : {}) });
      await manager.addRemote({ url, title, ...(check.user ? { user: check.user } : {}) });
      this.remotes = await manager.remotes();
      void this.acquire(notifyKey, check.created ? `Created the database and added ${title}.` : `Added ${title}: syncing.`);
    } catch (error) {
      this.problem = maskCredentials(messageOf(error));
    } finally {
      this.checking = false;
    }
  }

  private onSubmit(event: SubmitEvent): void {
    event.preventDefault();
    const form = new FormData(event.target as HTMLFormElement);
    // An address typed with `name:password@` signs in with them; only the address without them is kept.
    const typed = splitCredentials(String(form.get('server') ?? '').trim());
    const server = typed.address;
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
    void this.add(url, `${database} on ${server}`, String(form.get('user') ?? '').trim() || (typed.user ?? ''), String(form.get('password') ?? '') || (typed.password ?? ''));
    forgetPassword(event.target as HTMLFormElement);
    if (typed.user || typed.password) (event.target as HTMLFormElement).querySelector<HTMLInputElement>('input[name=server]')!.value = server;
  }

  /** "Sync with it" for the local sync server: signed in as the name and password given beside it. */
  private onLocalSubmit(event: SubmitEvent): void {
    event.preventDefault();
    const form = new FormData(event.target as HTMLFormElement);
    void this.add(`${LOCAL_SERVER}${DEFAULT_DATABASE}`, 'Local sync server', String(form.get('user') ?? '').trim(), String(form.get('password') ?? ''));
    forgetPassword(event.target as HTMLFormElement);
  }

  private async onSignIn(event: SubmitEvent, remote: RemoteConfig): Promise<void> {
    event.preventDefault();
    const form = new FormData(event.target as HTMLFormElement);
    forgetPassword(event.target as HTMLFormElement);
    this.signInProblem = undefined;
    try {
      const signedIn = await this.manager?.signIn(remote.id, String(form.get('user') ?? '').trim(), String(form.get('password') ?? ''));
      this.remotes = await this.manager?.remotes();
      if (signedIn) void this.acquire(notifyKey, `Signed in to ${signedIn.title} as ${signedIn.user}: syncing.`);
    } catch (error) {
      this.signInProblem = maskCredentials(messageOf(error));
    }
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
      void this.acquire(notifyKey, `Signed out of ${remote.title}: press “Sign in” by it to sync again.`);
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
                  <div class="remote">
                    <span><strong>${maskCredentials(remote.title)}</strong><br /><small>${maskCredentials(remote.url)}${remote.user ? ` · signed in as ${remote.user}` : ''}</small></span>
                    <span class="actions">
                      ${remote.user ? html`<button class="quiet" @click=${() => void this.signOut(remote)}>Sign out</button>` : nothing}
                      <button class="danger" @click=${() => void this.forgetRemote(remote)}>Remove</button>
                    </span>
                  </div>
                  ${status?.signIn.includes(remote.id) ? this.renderSignIn(remote) : nothing}
                  <fs-remote-subset .remote=${remote}></fs-remote-subset>
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
        ? html`<form class="offer" aria-label="Sync with the local sync server" @submit=${(event: SubmitEvent) => this.onLocalSubmit(event)}>
            <p>The local sync server is running: sign in as its admin to sync with it. ${localSignInHint}</p>
            <label>Name <input name="user" required value=${LOCAL_ADMIN} autocomplete="username" /></label>
            <label>Password <input name="password" type="password" required autocomplete="current-password" /></label>
            <button type="submit" ?disabled=${this.checking}>Sync with it</button>
          </form>`
        : nothing}
      <form @submit=${(event: SubmitEvent) => this.onSubmit(event)}>
        <h3>Add a remote</h3>
        <label
          >Server address
          <input
            name="server"
            required
            value=${LOCAL_SERVER}
            placeholder="https://couch.example.org"
            autocomplete="url"
            @input=${(event: InputEvent) => (this.address = (event.target as HTMLInputElement).value.trim())}
        /></label>
        ${isUnencryptedRemote(splitCredentials(this.address).address, location.href)
          ? html`<p class="warning" data-warning="unencrypted">
              This address is not encrypted (<code>http://</code> to another machine): the name, the password and the data can be read
              on the way. Use an <code>https://</code> address for a server on another machine.
            </p>`
          : nothing}
        <label>Database <input name="database" required value=${DEFAULT_DATABASE} /></label>
        <label>Name (optional) <input name="user" autocomplete="username" /></label>
        <label>Password (optional) <input name="password" type="password" autocomplete="current-password" /></label>
        <p class="hint">
          The password is used once to sign in; the browser keeps the session, Fieldscope keeps no password. ${localSignInHint}
        </p>
        <button type="submit" ?disabled=${this.checking}>${this.checking ? 'Checking…' : 'Check and add'}</button>
        ${this.problem ? html`<p class="error" role="alert">${this.problem}</p>` : nothing}
      </form>
    `;
  }

  /** Signing in again to a remote that refused the last sync (its session ended) or was signed out. */
  private renderSignIn(remote: RemoteConfig) {
    return html`<form class="sign-in" aria-label=${`Sign in to ${maskCredentials(remote.title)}`} @submit=${(event: SubmitEvent) => void this.onSignIn(event, remote)}>
      <p>Sign in to the sync server to sync again.${remote.url.startsWith(LOCAL_SERVER) ? html` ${localSignInHint}` : nothing}</p>
      <label>Name <input name="user" required value=${remote.user ?? (remote.url.startsWith(LOCAL_SERVER) ? LOCAL_ADMIN : '')} autocomplete="username" /></label>
      <label>Password <input name="password" type="password" required autocomplete="current-password" /></label>
      <button type="submit">Sign in</button>
      ${this.signInProblem ? html`<p class="error" role="alert">${this.signInProblem}</p>` : nothing}
    </form>`;
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
        padding: 0.6rem 0;
        border-bottom: 1px solid var(--border, #c9d6da);
      }
      .remote {
        display: flex;
        justify-content: space-between;
        align-items: center;
        gap: 1rem;
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
      .offer,
      .sign-in {
        margin-top: 1rem;
      }
      .offer p,
      .sign-in p {
        margin: 0;
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

/** Empties a form's password field once its value is taken: it is sent once and kept nowhere. */
function forgetPassword(form: HTMLFormElement): void {
  const password = form.querySelector<HTMLInputElement>('input[name=password]');
  if (password) password.value = '';
}

customElements.define('fs-remotes-page', RemotesPage);

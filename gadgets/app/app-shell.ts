import { css, html, nothing, type PropertyValues } from 'lit';
import { Gadget, reportGadgetDeclarationErrorKey, reportServiceErrorKey } from '../core';
import { navigateKey, notifyKey, pageTitleKey, reportErrorKey, storageKey, syncKey } from '../shared/keys';
import { appStorage } from './app-storage';
import { appPageStorage, appSync } from './app-sync';
import { runAppChain } from './app-chain';
import '../sync/sync-status';
import { matchRoute, type RouteMatch } from '../shared/router';
import { routes } from './routes';
import { moduleOfRoute, modules } from '../shared/modules';
import { registerServiceWorker } from './service-worker';
import { requestPersistence } from '../shared/persistence';
import { toErrorReport, type ErrorReport } from '../shared/error-report';
import { ErrorReportKeeper } from './error-report-keeper';

/** The most errors the panel lists (the latest); all of them are still kept as Error Report documents, within limits. */
const PANEL_ERRORS = 50;

interface Toast {
  id: number;
  message: string;
  kind: 'info' | 'error';
}

/**
 * The app shell: header (page title, sync status), navigation, the routed page, the error panel and the update prompt.
 * It is the root of the gadget tree: pages acquire storage, navigation, notifications and error reporting from it
 * (gadgets/shared/keys.ts).
 */
export class AppShell extends Gadget {
  static override properties = {
    match: { state: true },
    navOpen: { state: true },
    errors: { state: true },
    toasts: { state: true },
    updateReady: { state: true },
    pageTitle: { state: true },
  };

  declare match: RouteMatch | undefined;
  declare navOpen: boolean;
  declare errors: ErrorReport[];
  declare toasts: Toast[];
  declare updateReady: (() => void) | undefined;
  declare pageTitle: string;

  private page: HTMLElement | undefined;
  private routeCounter = 0;
  /** The document part of the link shown (without its query), and whether the last navigation kept it. */
  private shownPath: string | undefined;
  private sameDocument = false;
  private toastCounter = 0;
  private readonly onHashChange = () => void this.route();
  private readonly onWindowError = (event: ErrorEvent) => this.reportError(event.error ?? event.message, 'window');
  private readonly onRejection = (event: PromiseRejectionEvent) => this.reportError(event.reason, 'window');
  /** Error Report documents, rate-limited and with repeats counted, so a looping failure cannot fill the device. */
  private readonly errorReports = new ErrorReportKeeper(
    {
      post: async (doc) => (await appStorage()).post(doc),
      update: async (id, change) => (await appStorage()).update(id, change),
    },
    { buildId: __FIELDSCOPE_BUILD__ },
  );

  constructor() {
    super();
    this.match = undefined;
    this.navOpen = false;
    this.errors = [];
    this.toasts = [];
    this.updateReady = undefined;
    this.pageTitle = 'Fieldscope';
    this.provide(storageKey, () => appPageStorage());
    this.provide(syncKey, () => appSync());
    // Live sync runs while the app is open; it does nothing until a remote is added.
    this.service(async (signal) => (await appSync()).run(signal));
    this.service((signal) => runAppChain(signal));
    this.provide(navigateKey, (_request, hash, options) => this.navigate(hash, options));
    this.provide(notifyKey, (_request, message, kind) => this.notify(message, kind));
    this.provide(reportErrorKey, (request, error) => this.reportError(error, request.path));
    this.provide(reportServiceErrorKey, (request, error) => this.reportError(error, request.path));
    this.provide(reportGadgetDeclarationErrorKey, (request, error, scope) => this.reportError(error, `${request.path} (declaring ${scope})`));
    this.provide(pageTitleKey, (_request, title) => this.setTitle(title));
  }

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('hashchange', this.onHashChange);
    window.addEventListener('error', this.onWindowError);
    window.addEventListener('unhandledrejection', this.onRejection);
    void this.route();
    void requestPersistence();
    registerServiceWorker((activate) => (this.updateReady = activate)).catch((error: unknown) =>
      this.reportError(error, 'service worker'),
    );
  }

  override disconnectedCallback(): void {
    window.removeEventListener('hashchange', this.onHashChange);
    window.removeEventListener('error', this.onWindowError);
    window.removeEventListener('unhandledrejection', this.onRejection);
    super.disconnectedCallback();
  }

  /** Shows an error in the error panel. */
  reportError(error: unknown, origin: string): void {
    if (error instanceof DOMException && error.name === 'AbortError') return; // cancellation is not a failure
    const report = toErrorReport(error, origin);
    this.errors = [...this.errors, report].slice(-PANEL_ERRORS);
    void this.keepErrorReport(report);
  }

  /** Keeps the report as a document, so it reaches the server with the next sync. Never reports its own failure. */
  private async keepErrorReport(report: ErrorReport): Promise<void> {
    try {
      await this.errorReports.keep(report);
    } catch (failure) {
      console.warn('The error report could not be kept:', failure);
    }
  }

  /** Shows a short message for a few seconds (screen readers hear it through the live region). */
  notify(message: string, kind: 'info' | 'error' = 'info'): void {
    const toast = { id: ++this.toastCounter, message, kind };
    this.toasts = [...this.toasts, toast];
    setTimeout(() => (this.toasts = this.toasts.filter((t) => t !== toast)), kind === 'error' ? 8000 : 4000);
  }

  /** Goes to a hash link (`#/array/abc?start=0`); `replace` keeps the back button on the previous page. */
  navigate(hash: string, { replace = false }: { replace?: boolean } = {}): void {
    if (replace) {
      history.replaceState(history.state, '', hash);
      void this.route();
    } else {
      window.location.hash = hash;
    }
  }

  /** Reads the location and shows its page; a newer navigation supersedes a page still loading. */
  private async route(): Promise<void> {
    const call = ++this.routeCounter;
    const match = matchRoute(window.location.hash, routes);
    this.navOpen = false;
    if (match.kind !== 'page') {
      this.shownPath = undefined;
      this.sameDocument = false;
      this.showPage(undefined, match, match.kind === 'not-found' ? 'Page not found' : 'Bad link');
      return;
    }
    try {
      await match.route.load();
    } catch (error) {
      if (call !== this.routeCounter) return;
      this.reportError(error, `page ${match.route.tag}`);
      this.showPage(undefined, { kind: 'bad-link', path: match.route.pattern, message: 'This page could not be loaded. Check the connection, then reload.' }, 'Page failed to load');
      return;
    }
    if (call !== this.routeCounter) return;
    const reuse = this.page?.localName === match.route.tag ? this.page : undefined;
    const page = reuse ?? document.createElement(match.route.tag);
    // Only the query changed (a graph's range kept in the link): the same document, so the title the page set stays.
    const path = window.location.hash.split('?')[0];
    this.sameDocument = reuse !== undefined && path === this.shownPath;
    this.shownPath = path;
    (page as HTMLElement & { params: Record<string, string> }).params = match.params;
    this.showPage(page, match, this.sameDocument ? this.pageTitle : match.route.title);
  }

  private showPage(page: HTMLElement | undefined, match: RouteMatch, title: string): void {
    this.page = page;
    this.match = match;
    this.setTitle(title);
  }

  /** Shows `title` in the header and the document title (pages refine it once they know, e.g. an array's title). */
  setTitle(title: string): void {
    this.pageTitle = title;
    document.title = title === 'Fieldscope' ? title : `${title} · Fieldscope`;
  }

  protected override updated(changed: PropertyValues<this>): void {
    // Move keyboard focus to the new page's heading region, as a screen reader user expects after navigation — but not
    // when only the link's query changed (a graph keeping its range in the link): focus stays where the user works.
    if (changed.has('match') && changed.get('match') !== undefined && !this.sameDocument) this.renderRoot.querySelector<HTMLElement>('main')?.focus({ preventScroll: true });
  }

  override render() {
    const current = window.location.hash || '#/';
    const currentModule = this.match?.kind === 'page' ? moduleOfRoute(this.match.route.pattern, this.match.params) : undefined;
    return html`
      <a class="skip" href="#main" @click=${this.skipToMain}>Skip to content</a>
      <header>
        <button class="menu" aria-label="Menu" aria-expanded=${this.navOpen} aria-controls="nav" @click=${() => (this.navOpen = !this.navOpen)}>
          <svg viewBox="0 0 24 24" aria-hidden="true"><path d="M3 6h18M3 12h18M3 18h18" /></svg>
        </button>
        <a class="brand" href="#/" aria-label="Fieldscope front page"><img src="./favicon.svg" alt="" width="28" height="28" /></a>
        <h1>${this.pageTitle}</h1>
        <div class="status" id="header-status"><fs-sync-status></fs-sync-status><slot name="status"></slot></div>
      </header>
      <div class="body">
        <nav id="nav" class=${this.navOpen ? 'open' : ''} aria-label="Modules">
          <ul>
            <li><a href="#/" aria-current=${current === '#/' || current === '#' ? 'page' : 'false'}>Home</a></li>
            ${modules.map((module) => html`<li><a href=${`#/${module.path}`} aria-current=${module === currentModule ? 'page' : 'false'}>${module.label}</a></li>`)}
          </ul>
        </nav>
        <main id="main" tabindex="-1">${this.renderPage()}</main>
      </div>
      ${this.renderErrors()} ${this.renderUpdatePrompt()}
      <div class="toasts" role="status" aria-live="polite">
        ${this.toasts.map((toast) => html`<p class="toast ${toast.kind}">${toast.message}</p>`)}
      </div>
    `;
  }

  private renderPage() {
    const match = this.match;
    if (!match) return html`<p class="loading">Loading…</p>`;
    if (match.kind === 'page') return this.page;
    return html`<section class="problem">
      <h2>${match.kind === 'not-found' ? 'There is no page here' : 'This link cannot be opened'}</h2>
      <p>${match.kind === 'not-found' ? html`Nothing is at <code>#/${match.path}</code>. It may have been renamed or the link mistyped.` : match.message}</p>
      <p><a class="button" href="#/">Go to the front page</a></p>
    </section>`;
  }

  private renderErrors() {
    if (this.errors.length === 0) return nothing;
    return html`<section class="errors" role="alert" aria-label="Errors">
      <header>
        <h2>${this.errors.length === 1 ? 'Something went wrong' : `${this.errors.length} errors`}</h2>
        <button @click=${() => (this.errors = [])}>Dismiss all</button>
      </header>
      <ul>
        ${this.errors.map(
          (report) => html`<li>
            <strong>${report.name}: ${report.message}</strong>
            <span class="origin">in ${report.origin} at ${new Date(report.time).toLocaleTimeString()}</span>
            ${report.stack ? html`<details><summary>Details</summary><pre>${report.stack}</pre></details>` : nothing}
          </li>`,
        )}
      </ul>
    </section>`;
  }

  private renderUpdatePrompt() {
    const activate = this.updateReady;
    if (!activate) return nothing;
    return html`<aside class="update" role="status">
      <span>A new version of Fieldscope is available.</span>
      <button @click=${activate}>Reload</button>
      <button class="quiet" @click=${() => (this.updateReady = undefined)}>Later</button>
    </aside>`;
  }

  private skipToMain(event: Event): void {
    event.preventDefault(); // the hash is the router's: focus the page instead of changing it
    this.renderRoot.querySelector<HTMLElement>('main')?.focus();
  }

  static override styles = css`
    :host {
      --accent: #0f5c6e;
      --accent-text: #ffffff;
      --surface: #ffffff;
      --text: #14262c;
      --muted: #4a5f66;
      --border: #c9d6da;
      --danger: #a3201c;
      display: flex;
      flex-direction: column;
      min-height: 100vh;
      color: var(--text);
      font-family: system-ui, sans-serif;
    }
    @media (prefers-color-scheme: dark) {
      :host {
        --surface: #12272e;
        --text: #e4eef0;
        --muted: #a5bcc2;
        --border: #2e4a52;
        --danger: #ff8a80;
      }
    }
    .skip {
      position: absolute;
      left: -999px;
    }
    .skip:focus {
      left: 0.5rem;
      top: 0.5rem;
      z-index: 10;
      background: var(--surface);
      padding: 0.5rem;
    }
    header {
      display: flex;
      align-items: center;
      gap: 0.5rem;
      min-height: 3.5rem;
      padding: 0 0.75rem;
      background: var(--accent);
      color: var(--accent-text);
    }
    /* Long titles (file names) wrap to a second line instead of ending in "…": on a portrait tablet the header is the
       only place a stream's name is shown. */
    header h1 {
      font-size: 1.2rem;
      line-height: 1.3;
      margin: 0.25rem 0;
      flex: 1;
      min-width: 0;
      overflow-wrap: anywhere;
      display: -webkit-box;
      -webkit-box-orient: vertical;
      -webkit-line-clamp: 2;
      line-clamp: 2;
      overflow: hidden;
    }
    .brand {
      display: inline-flex;
      min-width: 44px;
      min-height: 44px;
      align-items: center;
      justify-content: center;
    }
    .menu {
      display: none;
      min-width: 44px;
      min-height: 44px;
      background: none;
      border: 0;
      color: inherit;
      cursor: pointer;
    }
    .menu svg {
      width: 24px;
      height: 24px;
      stroke: currentColor;
      stroke-width: 2;
    }
    .status {
      display: flex;
      align-items: center;
    }
    .body {
      display: flex;
      flex: 1;
      min-width: 0;
    }
    nav {
      width: 13rem;
      flex-shrink: 0;
      background: var(--surface);
      border-right: 1px solid var(--border);
    }
    nav ul {
      list-style: none;
      margin: 0;
      padding: 0.5rem 0;
    }
    nav a {
      display: flex;
      align-items: center;
      min-height: 44px;
      padding: 0 1rem;
      color: var(--text);
      text-decoration: none;
    }
    nav a[aria-current='page'] {
      font-weight: 600;
      box-shadow: inset 4px 0 0 var(--accent);
    }
    nav a:hover,
    nav a:focus-visible {
      background: color-mix(in srgb, var(--accent) 12%, transparent);
    }
    main {
      flex: 1;
      min-width: 0;
      padding: 1rem;
      outline: none;
    }
    .problem {
      max-width: 40rem;
    }
    .button,
    button {
      display: inline-flex;
      align-items: center;
      min-height: 44px;
      padding: 0 1rem;
      border-radius: 6px;
      border: 1px solid var(--accent);
      background: var(--accent);
      color: var(--accent-text);
      font: inherit;
      text-decoration: none;
      cursor: pointer;
    }
    button.quiet {
      background: transparent;
      color: inherit;
      border-color: currentColor;
    }
    .errors {
      position: fixed;
      left: 0.5rem;
      right: 0.5rem;
      bottom: 0.5rem;
      max-height: 40vh;
      overflow: auto;
      background: var(--surface);
      border: 2px solid var(--danger);
      border-radius: 8px;
      padding: 0 1rem 0.5rem;
      z-index: 5;
    }
    .errors header {
      background: none;
      color: var(--danger);
      padding: 0;
    }
    .errors h2 {
      flex: 1;
      font-size: 1.05rem;
    }
    .errors ul {
      margin: 0;
      padding-left: 1.2rem;
    }
    .errors pre {
      white-space: pre-wrap;
      font-size: 0.8rem;
    }
    .origin {
      display: block;
      color: var(--muted);
      font-size: 0.85rem;
    }
    .update {
      position: fixed;
      top: 4rem;
      right: 0.75rem;
      display: flex;
      gap: 0.5rem;
      align-items: center;
      flex-wrap: wrap;
      background: var(--surface);
      color: var(--text);
      border: 1px solid var(--border);
      border-radius: 8px;
      padding: 0.5rem 0.75rem;
      box-shadow: 0 4px 16px rgb(0 0 0 / 20%);
      z-index: 6;
    }
    .toasts {
      position: fixed;
      bottom: 1rem;
      left: 50%;
      transform: translateX(-50%);
      z-index: 7;
    }
    .toast {
      background: #14262c;
      color: #fff;
      padding: 0.6rem 1rem;
      border-radius: 6px;
      margin: 0.25rem 0;
    }
    .toast.error {
      background: var(--danger);
    }
    @media (max-width: 899px) {
      .menu {
        display: inline-flex;
        align-items: center;
        justify-content: center;
      }
      nav {
        position: fixed;
        top: 3.5rem;
        bottom: 0;
        left: 0;
        transform: translateX(-100%);
        transition: transform 0.15s ease-out;
        z-index: 4;
        box-shadow: 4px 0 16px rgb(0 0 0 / 20%);
        visibility: hidden;
      }
      nav.open {
        transform: none;
        visibility: visible;
      }
    }
  `;
}

customElements.define('fs-app', AppShell);

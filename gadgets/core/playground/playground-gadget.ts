// The gadget playground: load a gadget by URL into a sandbox, list its declared methods, call them with JSON arguments.
// Route it from the app (gadgets/app/routes.ts): { pattern: 'playground', tag: 'fs-gadget-playground', ... }.
import { css, html, nothing } from 'lit';
import { live } from 'lit/directives/live.js';
import { Gadget } from '../gadget';
import type { SandboxKind } from '../declaration';
import type { RemoteGadget } from '../sandbox/remote';
import templateUrl from '../template/template-gadget.ts?worker&url';
import workerTemplateUrl from '../template/template-worker.ts?worker&url';

const SCOPE = 'subject';

/** A module from anywhere but the app's own origin (data: and blob: URLs included): foreign code. */
export function isOutsideApp(url: string): boolean {
  try {
    return new URL(url, location.href).origin !== location.origin;
  } catch {
    return true; // not a URL we can place: treat it as foreign
  }
}

interface CallOutcome {
  method: string;
  ok: boolean;
  text: string;
}

/** Developer tool: loads any gadget module URL as `public`, `iframe` or `worker` and calls its declared methods. */
export class GadgetPlayground extends Gadget {
  static override properties = {
    params: { attribute: false },
    url: { state: true },
    sandbox: { state: true },
    methods: { state: true },
    loading: { state: true },
    loadError: { state: true },
    outcomes: { state: true },
    trustForeign: { state: true },
    linkNotice: { state: true },
  };
  declare params: Record<string, string>;
  declare url: string;
  declare sandbox: SandboxKind;
  declare methods: string[];
  declare loading: boolean;
  declare loadError: string;
  declare outcomes: CallOutcome[];
  /** The user ticked "run this foreign code as public" for the URL now in the form. */
  declare trustForeign: boolean;
  /** Why a link's sandbox was not taken as it was. */
  declare linkNotice: string;
  private subject: RemoteGadget | HTMLElement | undefined = undefined;

  /** Loading again cancels a load still running (the older subject is never shown). Load errors are shown, not reported. */
  private readonly load = this.job(
    async (signal, url: string, sandbox: SandboxKind): Promise<{ subject: RemoteGadget | HTMLElement } | { error: string }> => {
      try {
        const container = this.renderRoot.querySelector<HTMLElement>('.subject') ?? undefined;
        const subject = await this.declareGadget<RemoteGadget | HTMLElement>(url, {
          scope: SCOPE,
          sandbox,
          ...(container ? { element: container } : {}),
          acquisitions: ['notify'],
        });
        return { subject };
      } catch (error) {
        if (signal.aborted) throw error;
        return { error: `${(error as Error).name}: ${(error as Error).message}` };
      }
    },
    (outcome) => {
      this.loading = false;
      if ('error' in outcome) {
        this.loadError = outcome.error;
        return;
      }
      const subject = outcome.subject;
      this.subject = subject;
      this.methods = 'methods' in subject && Array.isArray(subject.methods)
        ? [...subject.methods]
        : [...(((subject.constructor as { declaredMethods?: readonly string[] }).declaredMethods) ?? [])];
    },
  );

  constructor() {
    super();
    this.params = {};
    this.url = templateUrl;
    this.sandbox = 'iframe';
    this.methods = [];
    this.loading = false;
    this.loadError = '';
    this.outcomes = [];
    this.trustForeign = false;
    this.linkNotice = '';
  }

  /** A link only fills the form: nothing runs until the user presses Load, and foreign code is never public by link. */
  override connectedCallback(): void {
    super.connectedCallback();
    if (this.params['url']) this.url = this.params['url'];
    const sandbox = this.params['sandbox'];
    if (sandbox === 'public' && isOutsideApp(this.url)) {
      this.sandbox = 'iframe';
      this.linkNotice = 'The link asked to run this module as public; it comes from outside the app, so iframe is selected instead.';
    } else if (sandbox === 'public' || sandbox === 'iframe' || sandbox === 'worker') this.sandbox = sandbox;
  }

  private needsTrust(): boolean {
    return this.sandbox === 'public' && isOutsideApp(this.url);
  }

  private editUrl(event: Event): void {
    this.url = (event.target as HTMLInputElement).value.trim();
    this.trustForeign = false; // a tick is for one URL
  }

  /** Switching between worker and the other sandboxes swaps the template URL for the matching template. */
  private chooseSandbox(event: Event): void {
    const sandbox = (event.target as HTMLSelectElement).value as SandboxKind;
    if (sandbox === 'worker' && this.url === templateUrl) this.url = workerTemplateUrl;
    else if (sandbox !== 'worker' && this.url === workerTemplateUrl) this.url = templateUrl;
    this.sandbox = sandbox;
  }

  private async submit(event: Event): Promise<void> {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const data = new FormData(form);
    this.url = String(data.get('url') ?? '').trim();
    this.sandbox = String(data.get('sandbox')) as SandboxKind;
    this.methods = [];
    this.outcomes = [];
    this.loadError = '';
    this.linkNotice = '';
    if (this.needsTrust() && data.get('trust') !== 'yes') {
      this.loadError = 'Not loaded: a module from outside the app runs as public only when you tick that you trust it. Choose iframe or worker to try it safely.';
      return;
    }
    this.loading = true;
    await this.updateComplete;
    await this.load(this.url, this.sandbox).catch(() => {}); // superseded by a newer load: nothing to show
  }

  private async call(method: string, rawArgs: string): Promise<void> {
    const subject = this.subject;
    if (!subject) return;
    let outcome: CallOutcome;
    try {
      const args: unknown = rawArgs.trim() ? JSON.parse(rawArgs) : [];
      const list = Array.isArray(args) ? args : [args];
      const result = 'call' in subject && typeof subject.call === 'function'
        ? await subject.call(method, list)
        : await (subject as unknown as Record<string, (...a: unknown[]) => unknown>)[method]!(...list);
      outcome = { method, ok: true, text: JSON.stringify(result) ?? 'undefined' };
    } catch (error) {
      outcome = { method, ok: false, text: `${(error as Error).name}: ${(error as Error).message}` };
    }
    this.outcomes = [outcome, ...this.outcomes].slice(0, 20);
  }

  override render() {
    return html`
      <h2>Gadget playground</h2>
      <form @submit=${this.submit}>
        <label>Gadget module URL <input name="url" .value=${this.url} required size="50" @input=${this.editUrl} /></label>
        <label>Sandbox
          <select name="sandbox" .value=${this.sandbox} @change=${this.chooseSandbox}>
            <option value="iframe" ?selected=${this.sandbox === 'iframe'}>iframe</option>
            <option value="worker" ?selected=${this.sandbox === 'worker'}>worker</option>
            <option value="public" ?selected=${this.sandbox === 'public'}>public</option>
          </select>
        </label>
        ${this.needsTrust()
          ? html`<label class="trust">
              <span><input type="checkbox" name="trust" value="yes" .checked=${live(this.trustForeign)}
                @change=${(event: Event) => (this.trustForeign = (event.target as HTMLInputElement).checked)} />
              I trust this module: as public it runs with full access to your data on this device</span>
              <small>It comes from ${originOf(this.url)}, outside this app. In an iframe or a worker it cannot reach your data.</small>
            </label>`
          : nothing}
        <button type="submit">Load</button>
      </form>
      ${this.linkNotice ? html`<p class="notice" role="status">${this.linkNotice}</p>` : nothing}
      ${this.loading ? html`<p role="status">Loading…</p>` : nothing}
      ${this.loadError ? html`<p class="error" role="alert">${this.loadError}</p>` : nothing}
      ${this.methods.length
        ? html`<h3>Declared methods</h3>
            <ul class="methods">
              ${this.methods.map(
                (method) => html`<li>
                  <code>${method}</code>
                  <input aria-label="Arguments of ${method} (JSON array)" placeholder="[arguments as JSON]" data-method=${method} />
                  <button @click=${(event: Event) =>
                    this.call(method, ((event.target as HTMLElement).previousElementSibling as HTMLInputElement).value)}>Call</button>
                </li>`,
              )}
            </ul>`
        : nothing}
      <ol class="outcomes" aria-live="polite">
        ${this.outcomes.map((outcome) => html`<li class=${outcome.ok ? 'ok' : 'error'}><code>${outcome.method}</code> → ${outcome.text}</li>`)}
      </ol>
      <div class="subject"></div>
    `;
  }

  static override styles = css`
    :host { display: block; }
    form { display: flex; flex-wrap: wrap; gap: 0.75rem; align-items: end; }
    label { display: flex; flex-direction: column; gap: 0.25rem; }
    input, select, button { min-height: 44px; font: inherit; }
    .methods li { display: flex; gap: 0.5rem; align-items: center; margin: 0.25rem 0; }
    .error { color: #a3201c; }
    .trust { flex-basis: 100%; }
    .trust input { min-height: auto; width: 1.25rem; height: 1.25rem; vertical-align: middle; }
    .subject iframe { width: 100%; min-height: 12rem; border: 1px solid #c9d6da; border-radius: 6px; }
  `;
}

function originOf(url: string): string {
  try {
    const { origin, protocol } = new URL(url, location.href);
    return origin === 'null' ? `a ${protocol} URL` : origin;
  } catch {
    return 'an address outside the app';
  }
}

customElements.define('fs-gadget-playground', GadgetPlayground);

// The gadget playground: load a gadget by URL into a sandbox, list its declared methods, call them with JSON arguments.
// Route it from the app (gadgets/app/routes.ts): { pattern: 'playground', tag: 'fs-gadget-playground', ... }.
import { css, html, nothing } from 'lit';
import { Gadget } from '../gadget';
import type { SandboxKind } from '../declaration';
import type { RemoteGadget } from '../sandbox/remote';
import templateUrl from '../template/template-gadget.ts?worker&url';

const SCOPE = 'subject';

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
  };
  declare params: Record<string, string>;
  declare url: string;
  declare sandbox: SandboxKind;
  declare methods: string[];
  declare loading: boolean;
  declare loadError: string;
  declare outcomes: CallOutcome[];
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
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.params['url']) this.url = this.params['url'];
    const sandbox = this.params['sandbox'];
    if (sandbox === 'public' || sandbox === 'iframe' || sandbox === 'worker') this.sandbox = sandbox;
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
        <label>Gadget module URL <input name="url" .value=${this.url} required size="50" /></label>
        <label>Sandbox
          <select name="sandbox" .value=${this.sandbox}>
            <option value="iframe" ?selected=${this.sandbox === 'iframe'}>iframe</option>
            <option value="worker" ?selected=${this.sandbox === 'worker'}>worker</option>
            <option value="public" ?selected=${this.sandbox === 'public'}>public</option>
          </select>
        </label>
        <button type="submit">Load</button>
      </form>
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
    .subject iframe { width: 100%; min-height: 12rem; border: 1px solid #c9d6da; border-radius: 6px; }
  `;
}

customElements.define('fs-gadget-playground', GadgetPlayground);

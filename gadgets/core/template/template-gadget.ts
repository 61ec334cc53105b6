// A starting point for a new gadget: copy this file, rename the class, keep what you need.
// As a module it works three ways: imported by a page, declared by URL (default export), or run in an iframe sandbox.
import { css, html } from 'lit';
import { Gadget, acquisitionKey, sleep } from '../index';

/**
 * Acquired from ancestors. Keys match by name, so this is the app shell's `notify` (gadgets/shared/keys.ts) without
 * importing the app: a gadget stays usable under any parent that provides it.
 */
const notifyKey = acquisitionKey<[message: string, kind?: 'info' | 'error'], void>('notify');

interface TemplateState {
  count: number;
  greeting: string;
}

/** A counter that greets: declared methods, state, a service, a job and an acquisition in 60 lines. */
export default class TemplateGadget extends Gadget<TemplateState> {
  /** What a parent may call through a sandbox. */
  static override declaredMethods = ['increment', 'greet', 'getCount'];

  static override properties = { label: { type: String } };
  declare label: string;

  /** A job: a new greet() cancels a greeting still waiting. */
  private readonly greeting = this.job(
    async (signal, name: string) => {
      await sleep(300, signal); // stands for slow work: cancelled with the run
      return `Hello, ${name}!`;
    },
    (text) => void this.changeState({ greeting: text }),
  );

  constructor() {
    super();
    this.label = 'Template gadget';
    this.state = { count: 0, greeting: '' };
    // A service: runs while attached (here: say once that the gadget is up; cancelled if detached first).
    this.service(async (signal) => {
      await sleep(50, signal);
      await this.acquireWith({ signal }, notifyKey, `${this.label} is running`).catch(() => {});
    });
  }

  /** Adds `by` (default 1) to the counter; returns the new count. */
  async increment(by = 1): Promise<number> {
    await this.changeState({ count: this.state.count + by });
    return this.state.count;
  }

  /** Greets `name` after a short delay; a newer call wins. */
  greet(name: string): Promise<string> {
    return this.greeting(name);
  }

  getCount(): number {
    return this.state.count;
  }

  protected override onStateChange(changed: Partial<TemplateState>): void {
    if ('count' in changed && changed.count === 10) void this.acquire(notifyKey, 'Ten!').catch(() => {});
  }

  override render() {
    return html`<section>
      <h3>${this.label}</h3>
      <p>Count: <output>${this.state.count}</output></p>
      <button @click=${() => this.increment()}>+1</button>
      ${this.state.greeting ? html`<p class="greeting">${this.state.greeting}</p>` : ''}
    </section>`;
  }

  static override styles = css`
    :host {
      display: block;
      font-family: system-ui, sans-serif;
    }
    button {
      min-height: 44px;
      min-width: 44px;
    }
  `;
}

export const tagName = 'fs-template-gadget';
// Defined here too, so a standalone bundle of this module (`?worker&url`, whose exports are dropped) still names it.
if (!customElements.get(tagName)) customElements.define(tagName, TemplateGadget);

import { html, type PropertyValues } from 'lit';
import { Gadget } from '../core';
import { storageKey } from './keys';
import { itemPatternOf } from './modules';
import { formatHash } from './router';
import { textField } from './doc-fields';

/**
 * A link to another document's page by its title (`<fs-doc-link doc-id=…>`), e.g. an array's source stream: its page is
 * found from its portal type. A document that is not on this device shows its id and says so.
 */
export class DocLink extends Gadget {
  static override properties = { docId: { attribute: 'doc-id' }, target: { state: true } };
  declare docId: string;
  declare target: { title: string; href: string | undefined } | 'missing' | undefined;

  constructor() {
    super();
    this.docId = '';
    this.target = undefined;
  }

  private readonly resolve = this.job(
    async (signal, id: string) => {
      const storage = await this.acquireWith({ signal }, storageKey);
      try {
        const doc = await storage.get(id, { signal });
        const pattern = itemPatternOf(doc['portal_type']);
        return { title: textField(doc, 'title') || id, href: pattern ? formatHash(pattern, { id }) : undefined };
      } catch (error) {
        if (signal.aborted) throw error;
        return 'missing' as const;
      }
    },
    (target) => (this.target = target),
  );

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('docId') && this.docId) void this.resolve(this.docId).catch(() => undefined);
  }

  override render() {
    const target = this.target;
    if (target === undefined) return html`${this.docId}`;
    if (target === 'missing') return html`${this.docId} (not on this device)`;
    return target.href ? html`<a href=${target.href}>${target.title}</a>` : html`${target.title}`;
  }
}

customElements.define('fs-doc-link', DocLink);

import { css, html, nothing, type PropertyValues } from 'lit';
import { Gadget } from '../../core';
import { pageTitleKey, storageKey } from '../../shared/keys';
import { formatHash } from '../../shared/router';
import { messageOf } from '../../shared/error-report';
import type { Doc } from '../../../storage';
import { confirmAndDelete } from '../../shared/delete-document';
import { textField } from '../../shared/doc-fields';
import { pageStyles } from '../../shared/page-styles';
import { renderProcessSteps } from './process-steps';
import { forgetFailedStep, processSteps } from '../../../compute/chain/operation';
import '../../shared/keep-offline';
import { cannotOpen } from '../../shared/cannot-open';
import { streamBytesAt } from '../../../compute/ingest/stream-bytes';

/** A Data Stream (`#/stream/<id>`): what it is, its processing history and the arrays made from it. */
export class StreamPage extends Gadget {
  static override properties = { params: { attribute: false }, doc: { state: true }, size: { state: true }, problem: { state: true } };
  declare params: Record<string, string>;
  declare doc: Doc | undefined;
  declare size: number | undefined;
  declare problem: string | undefined;

  constructor() {
    super();
    this.params = {};
    this.doc = undefined;
    this.size = undefined;
    this.problem = undefined;
  }

  private get docId(): string {
    return this.params['id'] ?? '';
  }

  private readonly load = this.job(
    async (signal, id: string) => {
      try {
        const storage = await this.acquireWith({ signal }, storageKey);
        const doc = await storage.get(id, { signal });
        if (doc['portal_type'] !== 'Data Stream') throw new Error(`“${id}” is not a Data Stream.`);
        const bytes = streamBytesAt(id, doc);
        const attachments = await storage.allAttachments(bytes.id, { signal }).catch(() => ({}) as Record<string, { length: number }>);
        return { doc, size: attachments[bytes.name]?.length ?? 0 };
      } catch (error) {
        if (signal.aborted) throw error;
        return { problem: messageOf(error) };
      }
    },
    (result) => {
      this.doc = result.doc;
      this.size = result.size;
      this.problem = result.problem;
      if (result.doc) void this.acquire(pageTitleKey, textField(result.doc, 'title') || 'Data Stream');
    },
  );

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('params') && changed.get('params')?.['id'] !== this.docId) void this.load(this.docId);
  }

  private async rerun(name: string): Promise<void> {
    const storage = await this.acquire(storageKey);
    await forgetFailedStep(storage, this.docId, name);
    void this.load(this.docId);
  }

  override render() {
    if (this.problem) return cannotOpen('This stream', this.problem, { href: '#/streams', label: 'All data streams' });
    const doc = this.doc;
    if (!doc) return html`<p class="hint" role="status">Loading the stream…</p>`;
    const steps = processSteps(doc);
    // The size the stream was written with (its data may be on the sync server only), else what is here.
    const size = typeof doc['size'] === 'number' ? doc['size'] : (this.size ?? 0);
    const arrays = steps.flatMap((step) => (step.result as { arrays?: unknown } | null | undefined)?.arrays).filter((id): id is string => typeof id === 'string' && id !== '');
    return html`
      <table>
        <tr><th scope="row">Status</th><td>${textField(doc, 'status') || 'complete'}</td></tr>
        <tr><th scope="row">Size</th><td>${size.toLocaleString('en')} bytes</td></tr>
        <tr><th scope="row">Data</th><td>${this.bytesRow(doc, size)}</td></tr>
        <tr><th scope="row">Type</th><td>${textField(doc, 'content_type')}</td></tr>
      </table>
      ${arrays.length > 0 ? html`<h2 class="section">Arrays</h2><ul>${arrays.map((id, index) => html`<li><a class="next" href=${formatHash('array/:id', { id })}>${arrays.length > 1 ? `Channel ${index + 1}` : 'Samples'}</a></li>`)}</ul>` : nothing}
      ${renderProcessSteps(steps, (name) => void this.rerun(name))}
      <button class="danger" @click=${() => void confirmAndDelete(this, this.docId, `the stream “${textField(doc, 'title')}”`, '#/streams')}>Delete stream</button>
    `;
  }

  /** Where the stream's bytes are; kept once with its array's samples when they are the same bytes. */
  private bytesRow(doc: Doc, size: number) {
    const at = streamBytesAt(this.docId, doc);
    const keep = html`<fs-keep-offline doc-id=${at.id} expected-bytes=${size}></fs-keep-offline>`;
    if (at.id === this.docId) return keep;
    return html`<p class="hint">Kept once: these bytes are the samples of <a href=${formatHash('array/:id', { id: at.id })}>its array</a>, so they take no extra space.</p>${keep}`;
  }

  static override styles = [pageStyles, css`table { max-width: 40rem; margin-bottom: 1rem; } th { width: 10rem; font-weight: normal; color: var(--muted, #4a5f66); }`];
}

customElements.define('fs-stream-page', StreamPage);

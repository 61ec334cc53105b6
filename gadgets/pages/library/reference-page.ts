import { css, html, nothing, type PropertyValues } from 'lit';
import { messageOf } from '../../shared/error-report';
import { Gadget } from '../../core';
import { notifyKey, pageTitleKey, storageKey } from '../../shared/keys';
import { attachPdf, removePdf } from '../../../compute/library/reference-pdf';
import { DATA_ATTACHMENT } from '../../../storage';
import { formatBytes } from '../../shared/format-bytes';
import '../../shared/keep-offline';
import { displayName, referenceOf, type ReferenceDocument } from '../../../compute/library/reference-document';
import { entryBibtex } from '../../../compute/library/bibtex-export';
import { confirmAndDelete } from '../../shared/delete-document';
import { downloadFile, fileNameOf } from '../../shared/download-file';
import { pageStyles } from '../../shared/page-styles';
import { cannotOpen } from '../../shared/cannot-open';

/** A link only for web addresses: a field of a synced document may hold `javascript:`. */
function safeUrl(text: string): string | undefined {
  try {
    const url = new URL(text);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/** One reference (`#/reference/<id>`, where citations link): its fields, how to cite it, its BibTeX. */
export class ReferencePage extends Gadget {
  static override properties = { params: { attribute: false }, reference: { state: true }, loadError: { state: true } };

  declare params: Record<string, string>;
  declare reference: ReferenceDocument | undefined;
  declare loadError: string | undefined;

  constructor() {
    super();
    this.params = {};
    this.reference = undefined;
    this.loadError = undefined;
  }

  private get docId(): string {
    return this.params['id'] ?? '';
  }

  private readonly load = this.job(
    async (signal, id: string) => {
      try {
        const doc = await (await this.acquireWith({ signal }, storageKey)).get(id, { signal });
        const reference = referenceOf(doc);
        if (!reference) throw new Error(`“${id}” is a ${String(doc['portal_type'])}, not a reference.`);
        return { reference };
      } catch (error) {
        if (signal.aborted) throw error;
        return { error: messageOf(error) };
      }
    },
    (result) => {
      this.reference = result.reference;
      this.loadError = result.error;
      if (result.reference) void this.acquire(pageTitleKey, result.reference.title || result.reference.reference);
    },
  );

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('params') && changed.get('params')?.['id'] !== this.docId) void this.load(this.docId);
  }

  private async act(what: string, action: () => Promise<void>): Promise<void> {
    try {
      await action();
    } catch (error) {
      void this.acquire(notifyKey, `${what}: ${messageOf(error)}`, 'error');
    }
    void this.load(this.docId);
  }

  private attach(input: HTMLInputElement): Promise<void> {
    const file = input.files?.[0];
    input.value = '';
    if (!file) return Promise.resolve();
    return this.act('The PDF was not attached', async () => attachPdf(await this.acquire(storageKey), this.docId, file));
  }

  /** Opens the PDF in a new tab (read from the sync server when it is not kept here). */
  private openPdf(name: string): Promise<void> {
    return this.act('The PDF cannot be opened', async () => {
      const blob = await (await this.acquire(storageKey)).getAttachment(this.docId, DATA_ATTACHMENT);
      const url = URL.createObjectURL(new Blob([blob], { type: 'application/pdf' }));
      if (!window.open(url, '_blank', 'noopener')) downloadFile([blob], 'application/pdf', name); // a blocked pop-up: save it instead
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    });
  }

  private renderPdf(reference: ReferenceDocument) {
    const pdf = reference.pdf;
    if (!pdf) {
      return html`<label class="button file-import">Attach PDF<input type="file" accept=".pdf,application/pdf" @change=${(event: Event) => void this.attach(event.target as HTMLInputElement)} /></label>`;
    }
    return html`<span class="pdf">${pdf.name} (${formatBytes(pdf.bytes)})</span>
      <fs-keep-offline doc-id=${this.docId} expected-bytes=${pdf.bytes}></fs-keep-offline>
      <span class="pdf-actions">
        <button @click=${() => void this.openPdf(pdf.name)}>Open PDF</button>
        <button class="danger" @click=${() => void this.act('The PDF was not removed', async () => removePdf(await this.acquire(storageKey), this.docId))}>Remove PDF</button>
      </span>`;
  }

  override render() {
    if (this.loadError) {
      return cannotOpen('This reference', this.loadError, { href: '#/bibliography', label: 'Bibliography' });
    }
    const reference = this.reference;
    if (!reference) return html`<p class="hint" role="status">Loading the reference…</p>`;
    const bibtex = entryBibtex(reference);
    return html`
      <p class="authors">${reference.authors.map(displayName).join(', ') || 'No author'}${reference.year ? html` (${reference.year})` : nothing}</p>
      <table>
        <tbody>
          <tr><th>Citation key</th><td class="key">${reference.reference}</td></tr>
          <tr><th>Type</th><td>${reference.entry_type}</td></tr>
          <tr><th>PDF</th><td class="pdf-cell">${this.renderPdf(reference)}</td></tr>
          ${Object.entries(reference.fields).map(([name, value]) => {
            const url = name === 'url' ? safeUrl(value) : name === 'doi' ? safeUrl(`https://doi.org/${value}`) : undefined;
            return html`<tr><th>${name}</th><td>${url ? html`<a href=${url} rel="noopener noreferrer" target="_blank">${value}</a>` : value}</td></tr>`;
          })}
        </tbody>
      </table>
      <p class="hint">Cite it in a markdown cell as <code>[@${reference.reference}]</code> or <code>\\citep[${reference.reference}]</code>.</p>
      <h2 class="section">BibTeX</h2>
      <pre class="bibtex">${bibtex}</pre>
      <p class="actions">
        <button @click=${() => downloadFile([bibtex], 'application/x-bibtex', `${fileNameOf(reference.reference)}.bib`)}>Download .bib</button>
        <a class="next" href="#/bibliography">Bibliography</a>
        <button class="danger" @click=${() => void confirmAndDelete(this, this.docId, `the reference “${reference.reference}”`, '#/bibliography')}>Delete</button>
      </p>
    `;
  }

  static override styles = [
    pageStyles,
    css`
      .authors { font-size: 1.05rem; }
      .key, code { font-family: ui-monospace, monospace; }
      th { width: 10rem; color: var(--muted, #4a5f66); font-weight: normal; }
      .bibtex { background: var(--surface, #fff); border: 1px solid var(--border, #c9d6da); border-radius: 6px; padding: 0.5rem; overflow-x: auto; }
      .actions, .pdf-actions { display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: center; }
      .pdf-cell { display: flex; flex-direction: column; gap: 0.4rem; align-items: flex-start; }
    `,
  ];
}

customElements.define('fs-reference-page', ReferencePage);

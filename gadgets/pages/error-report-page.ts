import { css, html, nothing, type PropertyValues } from 'lit';
import { messageOf } from '../app/error-report';
import { textField } from './doc-fields';
import { Gadget } from '../core';
import { pageTitleKey, storageKey } from '../app/keys';
import { confirmAndDelete } from './delete-document';
import { pageStyles } from './page-styles';
import type { Doc } from '../../storage';

type ReportView = { status: 'loading' } | { status: 'ready'; doc: Doc } | { status: 'failed'; message: string };

/**
 * An Error Report document (`#/error/<id>`): what failed, where (the gadget path), when and how often, the stack, and
 * the device and app version it happened on; kept so field errors reach the server with the next sync.
 */
export class ErrorReportPage extends Gadget {
  static override properties = { params: { attribute: false }, view: { state: true } };

  declare params: Record<string, string>;
  declare view: ReportView;

  constructor() {
    super();
    this.params = {};
    this.view = { status: 'loading' };
  }

  private get docId(): string {
    return this.params['id'] ?? '';
  }

  private readonly load = this.job(
    async (signal, id: string): Promise<ReportView> => {
      try {
        const storage = await this.acquireWith({ signal }, storageKey);
        const doc = await storage.get(id, { signal });
        if (doc['portal_type'] !== 'Error Report') throw new Error(`“${id}” is a ${String(doc['portal_type'])}, not an error report.`);
        return { status: 'ready', doc };
      } catch (error) {
        if (signal.aborted) throw error;
        return { status: 'failed', message: messageOf(error) };
      }
    },
    (view) => {
      this.view = view;
      if (view.status === 'ready') void this.acquire(pageTitleKey, textField(view.doc, 'error_name') || 'Error report');
    },
  );

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('params') && changed.get('params')?.['id'] !== this.docId) {
      this.view = { status: 'loading' };
      void this.load(this.docId);
    }
  }

  override render() {
    const view = this.view;
    if (view.status === 'loading') return html`<p class="hint" role="status">Loading the error report…</p>`;
    if (view.status === 'failed') {
      return html`<div class="error" role="alert">
        <p>This error report cannot be shown: ${view.message}</p>
        <p><a class="button" href="#/errors">All error reports</a></p>
      </div>`;
    }
    const { doc } = view;
    const field = (key: string) => textField(doc, key);
    const count = typeof doc['count'] === 'number' ? doc['count'] : 1;
    const dropped = typeof doc['reports_dropped_before'] === 'number' ? doc['reports_dropped_before'] : 0;
    const row = (label: string, value: unknown) => (value === '' || value === undefined ? nothing : html`<tr><th scope="row">${label}</th><td>${value}</td></tr>`);
    return html`
      <p class="message" data-field="message">${field('message') || field('title')}</p>
      <table>
        ${row('Error', field('error_name'))} ${row('Where', field('origin'))} ${row('When', formatTime(field('time') || field('modification_date')))}
        ${count > 1 ? row('Times', html`${count} (last ${formatTime(field('last_time'))})`) : nothing}
        ${dropped > 0 ? row('Before it', `${dropped} other reports were not kept (too many at once)`) : nothing} ${row('App version', field('build'))}
        ${row('Device', field('user_agent'))}
      </table>
      ${field('stack') ? html`<h2>Stack</h2><pre data-field="stack">${field('stack')}</pre>` : html`<p class="hint">No stack was recorded.</p>`}
      <div class="actions">
        <a class="button" href="#/errors">All error reports</a>
        <button class="danger" @click=${() => void confirmAndDelete(this, this.docId, 'this error report', '#/errors')}>Delete</button>
      </div>
    `;
  }

  static override styles = [
    pageStyles,
    css`
      .message {
        font-size: 1.1rem;
        font-weight: 600;
        overflow-wrap: anywhere;
      }
      table {
        max-width: 48rem;
      }
      td {
        overflow-wrap: anywhere;
      }
      pre {
        overflow-x: auto;
        padding: 0.75rem;
        border: 1px solid var(--border, #c9d6da);
        border-radius: 6px;
        background: var(--surface, #f5f8f9);
        font-size: 0.85rem;
      }
      .actions {
        display: flex;
        flex-wrap: wrap;
        gap: 0.75rem;
        margin-top: 1rem;
      }
    `,
  ];
}

/** An ISO time in the device's own words; as it is when it is not one. */
function formatTime(iso: string): string {
  const time = Date.parse(iso);
  return Number.isNaN(time) ? iso : new Date(time).toLocaleString();
}

customElements.define('fs-error-report-page', ErrorReportPage);

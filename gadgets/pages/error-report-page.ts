import { css, html, nothing, type PropertyValues } from 'lit';
import { messageOf } from '../shared/error-report';
import { textField } from '../shared/doc-fields';
import { Gadget } from '../core';
import { pageTitleKey, storageKey } from '../shared/keys';
import { confirmAndDelete } from '../shared/delete-document';
import { pageStyles } from '../shared/page-styles';
import type { Doc } from '../../storage';
import { cannotOpen } from '../shared/cannot-open';

type ReportView = { status: 'loading' } | { status: 'ready'; doc: Doc } | { status: 'failed'; message: string };

/**
 * An Error Report document (`#/error-report/<id>`): what failed, where in the app, its stack, the device and build it
 * happened on, how often. Reports sync like every document, so a field engineer's errors reach whoever looks after
 * the server; this page is how both read them.
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
      return cannotOpen('This error report', view.message, { href: '#/error-reports', label: 'All error reports' });
    }
    const { doc } = view;
    const count = typeof doc['count'] === 'number' && doc['count'] > 1 ? doc['count'] : 1;
    const dropped = typeof doc['reports_dropped_before'] === 'number' ? doc['reports_dropped_before'] : 0;
    const stack = textField(doc, 'stack');
    const row = (label: string, value: unknown) => html`<tr><th scope="row">${label}</th><td>${value}</td></tr>`;
    return html`
      <p class="message">${textField(doc, 'message') || '(no message)'}</p>
      <table class="facts" aria-label="What happened">
        <tbody>
          ${row('Error', textField(doc, 'error_name') || 'Error')}
          ${row('Where', html`<code>${textField(doc, 'origin') || 'unknown'}</code>`)}
          ${row('First seen', formatTime(textField(doc, 'time') || textField(doc, 'reference').replace(/^error-/, '') || textField(doc, 'modification_date')))}
          ${count > 1 ? row('Seen', `${count} times, last ${formatTime(textField(doc, 'last_time') || textField(doc, 'modification_date'))}`) : nothing}
          ${dropped > 0 ? row('Not kept before it', `${dropped} other reports (too many at once)`) : nothing}
          ${row('App build', textField(doc, 'build') || 'unknown')}
          ${row('Device', textField(doc, 'user_agent') || 'unknown')}
        </tbody>
      </table>
      ${stack ? html`<h3>Stack</h3><pre class="stack" tabindex="0" aria-label="Stack">${stack}</pre>` : html`<p class="hint">No stack was recorded.</p>`}
      <div class="actions">
        <button class="danger" @click=${() => void confirmAndDelete(this, this.docId, 'this error report', '#/error-reports')}>Delete</button>
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
      .facts th {
        text-align: left;
        padding-right: 1rem;
        vertical-align: top;
        white-space: nowrap;
      }
      .facts td {
        overflow-wrap: anywhere;
      }
      .stack {
        overflow: auto;
        max-height: 50vh;
        padding: 0.75rem;
        border: 1px solid var(--border, #c9d6da);
        border-radius: 6px;
        font-size: 0.85rem;
      }
    `,
  ];
}

function formatTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso || 'unknown' : date.toLocaleString();
}

customElements.define('fs-error-report-page', ErrorReportPage);

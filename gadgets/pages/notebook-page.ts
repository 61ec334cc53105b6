import { css, html, nothing, type PropertyValues } from 'lit';
import { messageOf } from '../app/error-report';
import { textField } from './doc-fields';
import { Gadget, sleep } from '../core';
import { pageTitleKey, storageKey } from '../app/keys';
import { confirmAndDelete } from './delete-document';
import { pageStyles } from './page-styles';
import type { Doc, Storage } from '../../storage';

/** Typing pauses this long before the notebook is saved. */
const SAVE_DELAY_MS = 600;

type SaveStatus = { kind: 'saved' } | { kind: 'pending' } | { kind: 'saving' } | { kind: 'failed'; message: string };

/**
 * A notebook (`#/notebook/<id>`): field notes with a title, saved as the user types. Nothing typed is lost: a pause,
 * leaving the page or a failed save followed by "Try again" all write the latest text.
 */
export class NotebookPage extends Gadget {
  static override properties = {
    params: { attribute: false },
    doc: { state: true },
    loadError: { state: true },
    saveStatus: { state: true },
  };

  declare params: Record<string, string>;
  declare doc: Doc | undefined;
  declare loadError: string | undefined;
  declare saveStatus: SaveStatus;
  /** Edits not yet written; kept until a save succeeds. */
  private unsaved: { title?: string; text?: string } = {};
  /** Kept from the load, so leaving the page (detached: nothing to acquire from) can still save. */
  private storage: Storage | undefined;

  constructor() {
    super();
    this.params = {};
    this.doc = undefined;
    this.loadError = undefined;
    this.saveStatus = { kind: 'saved' };
  }

  private get docId(): string {
    return this.params['id'] ?? '';
  }

  private readonly load = this.job(async (signal, id: string) => {
    try {
      const storage = await this.acquireWith({ signal }, storageKey);
      const doc = await storage.get(id, { signal });
      if (doc['portal_type'] !== 'Notebook') throw new Error(`“${id}” is a ${String(doc['portal_type'])}, not a notebook.`);
      return { doc, storage };
    } catch (error) {
      if (signal.aborted) throw error;
      return { error: messageOf(error) };
    }
  }, (result) => {
    this.doc = result.doc;
    this.storage = result.storage;
    this.loadError = result.error;
    if (result.doc) void this.acquire(pageTitleKey, textField(result.doc, 'title') || 'Notebook');
  });

  /** Saves after a pause in typing; a new edit restarts the pause (the edits themselves are kept in `unsaved`). */
  private readonly saveSoon = this.job(async (signal) => {
    await sleep(SAVE_DELAY_MS, signal);
    await this.save();
  });

  /** Writes the pending edits onto the stored document (one write at a time, in order). */
  private readonly save = this.mutex(async () => {
    const edits = this.unsaved;
    const storage = this.storage;
    if (Object.keys(edits).length === 0 || !this.doc || !storage) return;
    this.saveStatus = { kind: 'saving' };
    try {
      // No signal: leaving the page must still write what was typed.
      const doc = { ...this.doc, ...edits, modification_date: new Date().toISOString() };
      await storage.put(this.docId, doc);
      this.doc = doc;
      if (this.unsaved === edits) this.unsaved = {};
      this.saveStatus = Object.keys(this.unsaved).length === 0 ? { kind: 'saved' } : { kind: 'pending' };
    } catch (error) {
      this.saveStatus = { kind: 'failed', message: messageOf(error) };
    }
  });

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('params') && changed.get('params')?.['id'] !== this.docId) {
      this.doc = undefined;
      this.loadError = undefined;
      void this.load(this.docId);
    }
  }

  override disconnectedCallback(): void {
    if (Object.keys(this.unsaved).length > 0) void this.save();
    super.disconnectedCallback();
  }

  private edit(field: 'title' | 'text', value: string): void {
    this.unsaved = { ...this.unsaved, [field]: value };
    this.saveStatus = { kind: 'pending' };
    void this.saveSoon();
    if (field === 'title') void this.acquire(pageTitleKey, value || 'Notebook');
  }

  private async deleteNotebook(): Promise<void> {
    const edits = this.unsaved;
    this.unsaved = {};
    await this.save(); // a save in progress finishes first, so it cannot re-create the notebook
    const deleted = await confirmAndDelete(this, this.docId, `the notebook “${textField(this.doc, 'title') || this.docId}”`, '#/notebooks');
    if (!deleted) this.unsaved = { ...edits, ...this.unsaved };
  }

  override render() {
    if (this.loadError) {
      return html`<div class="error" role="alert">
        <p>This notebook cannot be opened: ${this.loadError}</p>
        <p><a class="button" href="#/notebooks">All notebooks</a></p>
      </div>`;
    }
    const doc = this.doc;
    if (!doc) return html`<p class="hint" role="status">Loading the notebook…</p>`;
    const title = this.unsaved.title ?? textField(doc, 'title');
    const body = this.unsaved.text ?? textField(doc, 'text');
    return html`
      <label class="field">
        <span>Title</span>
        <input name="title" .value=${title} @input=${(event: InputEvent) => this.edit('title', (event.target as HTMLInputElement).value)} />
      </label>
      <label class="field grow">
        <span>Notes</span>
        <textarea name="text" .value=${body} @input=${(event: InputEvent) => this.edit('text', (event.target as HTMLTextAreaElement).value)}></textarea>
      </label>
      <div class="actions">
        <span class="status" role="status">${this.renderStatus()}</span>
        <button class="danger" @click=${() => void this.deleteNotebook()}>Delete</button>
      </div>
    `;
  }

  private renderStatus() {
    const status = this.saveStatus;
    switch (status.kind) {
      case 'saved':
        return 'Saved';
      case 'pending':
        return 'Editing…';
      case 'saving':
        return 'Saving…';
      case 'failed':
        return html`<span class="failed">Not saved: ${status.message}</span>
          <button @click=${() => void this.save()}>Try again</button>`;
    }
    return nothing;
  }

  static override styles = [
    pageStyles,
    css`
      :host {
        display: flex;
        flex-direction: column;
        gap: 0.75rem;
        min-height: 60vh;
      }
      .grow {
        flex: 1;
      }
      textarea {
        flex: 1;
        min-height: 16rem;
        font: inherit;
        font-size: 1rem;
        padding: 0.6rem;
        border: 1px solid var(--border, #c9d6da);
        border-radius: 6px;
        color: var(--text, #14262c);
        background: var(--surface, #fff);
        resize: vertical;
      }
      .actions {
        display: flex;
        align-items: center;
        justify-content: space-between;
        gap: 1rem;
      }
      .status {
        color: var(--muted, #4a5f66);
      }
      .failed {
        color: var(--danger, #a3201c);
      }
    `,
  ];
}


customElements.define('fs-notebook-page', NotebookPage);

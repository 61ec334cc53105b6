import { css, html, nothing, type PropertyValues } from 'lit';
import { messageOf } from '../../shared/error-report';
import { textField } from '../../shared/doc-fields';
import { Gadget, Mutex, sleep } from '../../core';
import { pageTitleKey, storageKey } from '../../shared/keys';
import { confirmAndDelete } from '../../shared/delete-document';
import { mergeEdits, type MergedEdits } from '../../shared/merge-edits';
import { pageStyles } from '../../shared/page-styles';
import { isStorageError, type Doc, type Storage } from '../../../storage';
// The cells, their editors and the kernel: in this page's chunk only (the route table loads it lazily).
import './notebook-cells';
import { followChanges } from '../../shared/follow-changes';

/** Typing pauses this long before the notebook is saved. */
const SAVE_DELAY_MS = 600;

type SaveStatus = { kind: 'saved' } | { kind: 'pending' } | { kind: 'saving' } | { kind: 'failed'; message: string };

type Field = 'title' | 'text';
const fieldLabels: Record<Field, string> = { title: 'Title', text: 'Notes' };

/** Told to the user until dismissed: what another writer had changed under their typing. */
type Notice = { kind: 'overwritten'; theirs: Partial<Record<Field, string>> } | { kind: 'recreated' };

/**
 * A notebook (`#/notebook/<id>`): field notes with a title, saved as the user types, and cells of code and markdown run
 * by a kernel in a worker (notebook-cells.ts). Nothing typed is lost: a pause,
 * leaving the page or a failed save followed by "Try again" all write the latest text.
 * The notebook can change underneath (another tab, a sync from another device): the page follows it, and saves merge
 * field by field onto the version stored then, in one step (`update`), never a stale copy. A field both sides changed
 * keeps the user's text, and the page shows the other text so nothing of it is lost either.
 */
export class NotebookPage extends Gadget {
  static override properties = {
    params: { attribute: false },
    doc: { state: true },
    loadError: { state: true },
    saveStatus: { state: true },
    notice: { state: true },
  };

  declare params: Record<string, string>;
  declare doc: Doc | undefined;
  declare loadError: string | undefined;
  declare saveStatus: SaveStatus;
  declare notice: Notice | undefined;
  /** Edits not yet written, made on `doc` (the version last seen); kept until a save succeeds. */
  private unsaved: Partial<Record<Field, string>> = {};
  /** Kept from the load, so leaving the page (detached: nothing to acquire from) can still save. */
  private storage: Storage | undefined;
  /** Saves and reloads take turns: each works from the version the other left in `doc`. */
  private readonly turns = new Mutex();

  constructor() {
    super();
    this.params = {};
    this.doc = undefined;
    this.loadError = undefined;
    this.saveStatus = { kind: 'saved' };
    this.notice = undefined;
    // The notebook changed underneath (another tab, a sync, or this page's own save): follow it.
    this.service(followChanges(this, () => void this.reload(), { pick: (change) => change.id === this.docId }));
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

  /**
   * Writes the pending edits onto the version stored now, in one step: fields the user did not edit stay as stored
   * (whoever wrote them), edited fields get the user's text; where the stored text had changed too, the notice shows it.
   */
  private readonly save = this.mutex(async () => {
    const edits = this.unsaved;
    const storage = this.storage;
    const base = this.doc;
    if (Object.keys(edits).length === 0 || !base || !storage) return;
    this.saveStatus = { kind: 'saving' };
    try {
      let merged: MergedEdits = { edits: { ...edits }, theirs: {} };
      let recreated = false;
      // No signal: leaving the page must still write what was typed.
      const written = await storage.update(this.docId, (current) => {
        merged = current ? mergeEdits(base, current, edits) : { edits: { ...edits }, theirs: {} };
        recreated = current === undefined; // deleted elsewhere meanwhile: what was typed brings it back
        if (current && Object.keys(merged.edits).length === 0) return undefined;
        return { ...(current ?? base), ...edits, modification_date: new Date().toISOString() };
      });
      this.doc = written;
      if (this.unsaved === edits) this.unsaved = {};
      this.tell(merged, recreated);
      this.saveStatus = Object.keys(this.unsaved).length === 0 ? { kind: 'saved' } : { kind: 'pending' };
    } catch (error) {
      this.saveStatus = { kind: 'failed', message: messageOf(error) };
    }
  }, this.turns);

  /** Takes the stored version as the new base, keeping the user's unsaved edits on top of it. */
  private readonly reload = this.mutex(async () => {
    const storage = this.storage;
    const base = this.doc;
    if (!storage || !base) return;
    let current: Doc;
    try {
      current = await storage.get(this.docId);
    } catch (error) {
      // Gone with nothing typed: say so. With edits, the next save brings it back. Other failures: the next save
      // still merges onto whatever is stored then.
      if (isStorageError(error, 404) && Object.keys(this.unsaved).length === 0) this.loadError = 'it was deleted (in another tab, or by a sync from another device).';
      return;
    }
    const merged = mergeEdits(base, current, this.unsaved);
    this.doc = current;
    this.unsaved = merged.edits;
    this.tell(merged, false);
    if (Object.keys(this.unsaved).length === 0 && this.saveStatus.kind === 'pending') this.saveStatus = { kind: 'saved' };
    if (merged.edits.title === undefined) void this.acquire(pageTitleKey, textField(current, 'title') || 'Notebook');
  }, this.turns);

  private tell(merged: MergedEdits, recreated: boolean): void {
    if (recreated) {
      this.notice = { kind: 'recreated' };
      return;
    }
    if (Object.keys(merged.theirs).length === 0) return;
    const earlier = this.notice?.kind === 'overwritten' ? this.notice.theirs : {};
    this.notice = { kind: 'overwritten', theirs: { ...earlier, ...merged.theirs } };
  }

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

  private edit(field: Field, value: string): void {
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
      <section class="cells" aria-label="Cells">
        <fs-notebook-cells .notebookId=${this.docId} .doc=${doc}></fs-notebook-cells>
      </section>
      ${this.renderNotice()}
      <div class="actions">
        <span class="status" role="status">${this.renderStatus()}</span>
        <button class="danger" @click=${() => void this.deleteNotebook()}>Delete</button>
      </div>
    `;
  }

  private renderNotice() {
    const notice = this.notice;
    if (!notice) return nothing;
    const dismiss = html`<button @click=${() => (this.notice = undefined)}>Dismiss</button>`;
    if (notice.kind === 'recreated') {
      return html`<div class="warning notice" role="alert">
        <p>This notebook had been deleted (in another tab, or by a sync) while you were typing. It was saved again with your text; delete it again if it should go.</p>
        ${dismiss}
      </div>`;
    }
    const fields = (Object.keys(notice.theirs) as Field[]).filter((field) => field in fieldLabels);
    return html`<div class="warning notice" role="alert">
      <p>
        This notebook was also changed somewhere else while you were typing (in another tab, or on another device and
        synced). Your ${fields.map((field) => fieldLabels[field]).join(' and ')} ${fields.length === 1 ? 'was' : 'were'} kept as you typed and
        saved over that change. The other text is below: copy what you need from it into yours, then dismiss this.
      </p>
      ${fields.map(
        (field) => html`<label class="field">
          <span>${fieldLabels[field]} written elsewhere</span>
          <textarea class="theirs" name=${`theirs-${field}`} readonly .value=${notice.theirs[field] ?? ''}></textarea>
        </label>`,
      )}
      ${dismiss}
    </div>`;
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
        min-height: 8rem;
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
      .notice {
        display: flex;
        flex-direction: column;
        align-items: flex-start;
        gap: 0.5rem;
      }
      .notice label {
        align-self: stretch;
      }
      textarea.theirs {
        flex: none;
        min-height: 6rem;
      }
    `,
  ];
}


customElements.define('fs-notebook-page', NotebookPage);

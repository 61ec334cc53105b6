import { css, html, nothing, type PropertyValues } from 'lit';
import { messageOf } from '../../shared/error-report';
import { Gadget, sleep } from '../../core';
import { navigateKey, notifyKey, storageKey } from '../../shared/keys';
import { formatHash } from '../../shared/router';
import { authorsShort, newReference, referenceId } from '../../../compute/library/reference-document';
import { listReferences, searchReferences, type ListedReference, type ReferenceSort } from '../../../compute/library/reference-store';
import { toBibtex } from '../../../compute/library/bibtex-export';
import { isStorageError } from '../../../storage';
import { downloadFile } from '../../shared/download-file';
import { pageStyles } from '../../shared/page-styles';
import { followChanges } from '../../shared/follow-changes';

type ListView = { status: 'loading' } | { status: 'ready'; all: ListedReference[] } | { status: 'failed'; message: string };

const sorts: Record<ReferenceSort, string> = { author: 'Author A–Z', year: 'Year, oldest first', 'year-descending': 'Year, newest first' };
const ENTRY_TYPES = ['article', 'book', 'inproceedings', 'incollection', 'techreport', 'phdthesis', 'mastersthesis', 'manual', 'misc'];

/**
 * The bibliography (`#/bibliography`): references imported from a .bib file (all of it or nothing) or added by hand,
 * searched by words, sorted by author or year, and exported as BibTeX (the ones ticked, or all shown). Markdown cells
 * cite them as `[@key]` or `\citep[key]`.
 */
export class BibliographyPage extends Gadget {
  static override properties = {
    params: { attribute: false },
    view: { state: true },
    selected: { state: true },
    importError: { state: true },
    adding: { state: true },
    addError: { state: true },
  };

  declare params: Record<string, string>;
  declare view: ListView;
  declare selected: ReadonlySet<string>;
  /** Why the last picked file was refused (shown until the next import). */
  declare importError: string | undefined;
  declare adding: boolean;
  declare addError: string | undefined;

  constructor() {
    super();
    this.params = {};
    this.view = { status: 'loading' };
    this.selected = new Set();
    this.importError = undefined;
    this.adding = false;
    this.addError = undefined;
    this.service(followChanges(this, () => void this.load(), { debounceMs: 400 }));
  }

  private get text(): string {
    return this.params['q'] ?? '';
  }
  private get sort(): ReferenceSort {
    const sort = this.params['sort'] ?? 'author';
    return sort in sorts ? (sort as ReferenceSort) : 'author';
  }

  private readonly load = this.job(
    async (signal): Promise<ListView> => {
      try {
        return { status: 'ready', all: await listReferences(await this.acquireWith({ signal }, storageKey), { signal }) };
      } catch (error) {
        if (signal.aborted) throw error;
        return { status: 'failed', message: messageOf(error) };
      }
    },
    (view) => (this.view = view),
  );

  protected override firstUpdated(): void {
    void this.load();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('params')) this.selected = new Set();
  }

  private link(changes: Record<string, string>): string {
    const params: Record<string, string> = { q: this.text, sort: this.sort, ...changes };
    if (params['sort'] === 'author') delete params['sort'];
    for (const key of Object.keys(params)) if (params[key] === '') delete params[key];
    return formatHash('bibliography', params);
  }

  private readonly search = this.job(async (signal, text: string) => {
    await sleep(250, signal);
    if (!location.hash.startsWith('#/bibliography')) return; // a link followed during the pause wins
    await this.acquireWith({ signal }, navigateKey, this.link({ q: text }), { replace: true });
  });

  private shown(): ListedReference[] {
    return this.view.status === 'ready' ? searchReferences(this.view.all, this.text, this.sort) : [];
  }

  private async importFile(input: HTMLInputElement): Promise<void> {
    const file = input.files?.[0];
    input.value = ''; // the same file can be picked again after a fix
    if (!file) return;
    this.importError = undefined;
    try {
      // The parser loads with the first import only.
      const { importBibtexFile } = await import('../../../compute/library/bibtex-import');
      const { added, replaced } = await importBibtexFile(await this.acquire(storageKey), file);
      void this.acquire(notifyKey, `Imported ${added + replaced} reference${added + replaced === 1 ? '' : 's'} from “${file.name}”${replaced ? ` (${replaced} replaced the one with the same key)` : ''}.`);
      await this.load();
    } catch (error) {
      this.importError = `“${file.name}” was not imported: ${messageOf(error)}`;
    }
  }

  private async add(form: HTMLFormElement): Promise<void> {
    const data = new FormData(form);
    const value = (name: string) => String(data.get(name) ?? '');
    try {
      const reference = newReference({
        key: value('key'),
        entry_type: value('entry_type'),
        title: value('title'),
        authors: value('authors').split(/\n|\s+and\s+/),
        year: value('year'),
        fields: { journal: value('journal'), publisher: value('publisher'), doi: value('doi'), url: value('url') },
      });
      const storage = await this.acquire(storageKey);
      const id = referenceId(reference.reference);
      try {
        await storage.get(id);
        throw new Error(`There is already a reference with the key “${reference.reference}”: choose another key.`);
      } catch (error) {
        if (!isStorageError(error, 404)) throw error;
      }
      await storage.put(id, reference);
      this.adding = false;
      this.addError = undefined;
      await this.acquire(navigateKey, formatHash('reference/:id', { id }));
    } catch (error) {
      this.addError = messageOf(error);
    }
  }

  private exportBib(references: ListedReference[], name: string): void {
    downloadFile([toBibtex(references.map(({ reference }) => reference))], 'application/x-bibtex', name);
  }

  private toggle(id: string, on: boolean): void {
    const selected = new Set(this.selected);
    if (on) selected.add(id);
    else selected.delete(id);
    this.selected = selected;
  }

  override render() {
    const shown = this.shown();
    const chosen = shown.filter(({ id }) => this.selected.has(id));
    return html`
      <h2>Bibliography</h2>
      <form class="controls" role="search" @submit=${(event: Event) => event.preventDefault()}>
        <label class="text"><span>Search</span>
          <input type="search" name="q" placeholder="Words of the key, title, authors, year, journal…" .value=${this.text} @input=${(event: InputEvent) => void this.search((event.target as HTMLInputElement).value)} />
        </label>
        <label><span>Sort</span>
          <select name="sort" @change=${(event: Event) => void this.acquire(navigateKey, this.link({ sort: (event.target as HTMLSelectElement).value }), { replace: true })}>
            ${Object.entries(sorts).map(([key, label]) => html`<option value=${key} ?selected=${key === this.sort}>${label}</option>`)}
          </select>
        </label>
      </form>
      <p class="makers">
        <label class="button file-import">Import .bib
          <input type="file" accept=".bib,.bibtex,text/x-bibtex,application/x-bibtex,text/plain" @change=${(event: Event) => void this.importFile(event.target as HTMLInputElement)} />
        </label>
        <button @click=${() => (this.adding = !this.adding)} aria-expanded=${this.adding ? 'true' : 'false'}>Add by hand</button>
        <button @click=${() => this.exportBib(chosen, 'selection.bib')} ?disabled=${chosen.length === 0}>Export selection (${chosen.length}) as .bib</button>
        <button @click=${() => this.exportBib(shown, 'bibliography.bib')} ?disabled=${shown.length === 0}>Export all shown as .bib</button>
      </p>
      ${this.importError ? html`<div class="error" role="alert"><p>${this.importError}</p></div>` : nothing}
      ${this.adding ? this.renderAddForm() : nothing}
      ${this.renderList(shown)}
    `;
  }

  private renderAddForm() {
    return html`<form class="add" aria-label="New reference" @submit=${(event: Event) => {
      event.preventDefault();
      void this.add(event.target as HTMLFormElement);
    }}>
      <div class="row">
        <label class="field"><span>Citation key</span><input name="key" required placeholder="welch1967" /></label>
        <label class="field"><span>Type</span><select name="entry_type">${ENTRY_TYPES.map((type) => html`<option value=${type} ?selected=${type === 'article'}>${type}</option>`)}</select></label>
        <label class="field"><span>Year</span><input name="year" inputmode="numeric" /></label>
      </div>
      <label class="field"><span>Title</span><input name="title" required /></label>
      <label class="field"><span>Authors (one a line, “Family, Given”)</span><textarea name="authors" rows="3"></textarea></label>
      <div class="row">
        <label class="field"><span>Journal</span><input name="journal" /></label>
        <label class="field"><span>Publisher</span><input name="publisher" /></label>
        <label class="field"><span>DOI</span><input name="doi" /></label>
        <label class="field"><span>URL</span><input name="url" type="url" /></label>
      </div>
      ${this.addError ? html`<p class="error" role="alert">${this.addError}</p>` : nothing}
      <p><button type="submit">Add reference</button></p>
    </form>`;
  }

  private renderList(shown: ListedReference[]) {
    const view = this.view;
    if (view.status === 'loading') return html`<p class="hint" role="status">Loading references…</p>`;
    if (view.status === 'failed') return html`<div class="error" role="alert"><p>The references could not be listed: ${view.message}</p><button @click=${() => void this.load()}>Try again</button></div>`;
    if (shown.length === 0) {
      return html`<p class="hint" role="status">${this.text ? `No references match “${this.text}”.` : 'No references yet. Import a .bib file or add one by hand.'}</p>`;
    }
    return html`<ul class="documents" aria-label="References">
      ${shown.map(
        ({ id, reference }) => html`<li>
          <input type="checkbox" aria-label=${`Select ${reference.reference}`} .checked=${this.selected.has(id)} @change=${(event: Event) => this.toggle(id, (event.target as HTMLInputElement).checked)} />
          <a href=${formatHash('reference/:id', { id })}>
            <span class="title">${reference.title}</span>
            <span class="meta"><span>${authorsShort(reference.authors) || 'no author'}</span><span>${reference.year || 'n.d.'}</span><span class="key">${reference.reference}</span></span>
          </a>
        </li>`,
      )}
    </ul>`;
  }

  static override styles = [
    pageStyles,
    css`
      .controls, .makers, .row { display: flex; flex-wrap: wrap; gap: 0.6rem; align-items: flex-end; }
      .controls .text { flex: 1 1 16rem; }
      .add { display: flex; flex-direction: column; gap: 0.5rem; border: 1px solid var(--border, #c9d6da); border-radius: 6px; padding: 0.75rem; margin-bottom: 1rem; }
      textarea { font: inherit; padding: 0.4rem; border: 1px solid var(--border, #c9d6da); border-radius: 6px; }
      .documents { list-style: none; margin: 0 0 1rem; padding: 0; border-top: 1px solid var(--border, #c9d6da); }
      .documents li { display: flex; align-items: center; gap: 0.5rem; border-bottom: 1px solid var(--border, #c9d6da); }
      .documents input[type='checkbox'] { min-height: 24px; width: 24px; margin-left: 0.5rem; }
      .documents a { flex: 1; display: flex; flex-direction: column; gap: 0.2rem; min-height: 44px; padding: 0.6rem 0.5rem; color: inherit; text-decoration: none; }
      .documents a:hover, .documents a:focus-visible { background: color-mix(in srgb, var(--accent, #0f5c6e) 8%, transparent); }
      .title { font-weight: 600; }
      .meta { display: flex; flex-wrap: wrap; gap: 0.75rem; color: var(--muted, #4a5f66); font-size: 0.85rem; }
      .key { font-family: ui-monospace, monospace; }
    `,
  ];
}

customElements.define('fs-bibliography-page', BibliographyPage);

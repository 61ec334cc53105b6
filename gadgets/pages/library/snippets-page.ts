import { css, html, nothing, type PropertyValues } from 'lit';
import { messageOf } from '../../shared/error-report';
import { Gadget, sleep } from '../../core';
import { navigateKey, notifyKey, storageKey } from '../../shared/keys';
import { formatHash } from '../../shared/router';
import {
  addBuiltinSnippets,
  childTags,
  listSnippets,
  newSnippet,
  searchSnippets,
  snippetUse,
  suggestTags,
  tagCounts,
  tagPath,
  type ListedSnippet,
  type SnippetSort,
} from '../../../compute/library';
import { authorshipNow } from './snippet-author';
import { pageStyles } from '../../shared/page-styles';
import { followChanges } from '../../shared/follow-changes';

type ListView = { status: 'loading' } | { status: 'ready'; all: ListedSnippet[] } | { status: 'failed'; message: string };

const sorts: Record<SnippetSort, string> = { recent: 'Newest first', used: 'Most used here' };

/** What a new snippet starts as: something that runs, so Run shows at once how the kernel answers. */
const NEW_CODE = `// A new snippet: the last expression is its result.\nconst samples = Float64Array.from({ length: 8 }, (_, i) => Math.sin(i));\nsamples.reduce((sum, value) => sum + value, 0)\n`;

/**
 * The snippet library (`#/snippets`): words anywhere in a snippet (title, blurb, code, tags), a tag with the tags below
 * it (`signal` finds `signal/filter/band-pass`), browsed level by level or typed with suggestions from the tags in use,
 * newest or most used first. Search, tag and sort live in the link, so a search can be shared. The shipped snippets
 * are added on the first visit (fixed ids: two devices add the same documents).
 */
export class SnippetsPage extends Gadget {
  static override properties = {
    params: { attribute: false },
    view: { state: true },
    typedTag: { state: true },
  };

  declare params: Record<string, string>;
  declare view: ListView;
  /** The tag being typed, for suggestions (the chosen tag is in the link). */
  declare typedTag: string;

  constructor() {
    super();
    this.params = {};
    this.view = { status: 'loading' };
    this.typedTag = '';
    // Snippets arriving from sync or another tab show up without a reload.
    this.service(followChanges(this, () => void this.load(), { debounceMs: 400 }));
  }

  private get text(): string {
    return this.params['q'] ?? '';
  }
  private get tag(): string {
    return this.params['tag'] ?? '';
  }
  private get sort(): SnippetSort {
    return this.params['sort'] === 'used' ? 'used' : 'recent';
  }

  /** Reads every snippet once (a library is hundreds, not millions): search, tags and sort then work on them in memory. */
  private readonly load = this.job(
    async (signal): Promise<ListView> => {
      try {
        const storage = await this.acquireWith({ signal }, storageKey);
        await addBuiltinSnippets(storage, { signal });
        const all = (await listSnippets(storage, { signal })).map(({ id, snippet }) => {
          const use = snippetUse(localStorage, id);
          return { id, snippet, uses: use.uses, lastUsed: use.last };
        });
        return { status: 'ready', all };
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
    if (changed.has('params')) this.typedTag = this.tag;
  }

  /** This page's link with some parameters changed (empty ones and the default sort dropped). */
  private link(changes: Record<string, string>): string {
    const params: Record<string, string> = { q: this.text, tag: this.tag, sort: this.sort, ...changes };
    if (params['sort'] === 'recent') delete params['sort'];
    for (const key of Object.keys(params)) if (params[key] === '') delete params[key];
    return formatHash('snippets', params);
  }

  private go(changes: Record<string, string>): void {
    void this.acquire(navigateKey, this.link(changes), { replace: true });
  }

  private readonly search = this.job(async (signal, text: string) => {
    await sleep(250, signal);
    // A link followed during the pause (a snippet opened while its page loads) wins over the typed search.
    if (!location.hash.startsWith('#/snippets')) return;
    await this.acquireWith({ signal }, navigateKey, this.link({ q: text }), { replace: true });
  });

  private async create(): Promise<void> {
    try {
      const storage = await this.acquire(storageKey);
      const snippet = newSnippet({ title: 'New snippet', blurb: '', language: 'javascript', files: [{ name: 'snippet.js', content: NEW_CODE }], tags: this.tag ? [this.tag] : [] }, authorshipNow());
      const id = crypto.randomUUID();
      await storage.put(id, snippet);
      await this.acquire(navigateKey, formatHash('snippet/:id', { id, edit: '1' }));
    } catch (error) {
      void this.acquire(notifyKey, `Could not make a snippet: ${messageOf(error)}`, 'error');
    }
  }

  override render() {
    const view = this.view;
    const counts = tagCounts(view.status === 'ready' ? view.all.map(({ snippet }) => snippet) : []);
    const suggestions = this.typedTag !== this.tag ? suggestTags(counts, this.typedTag) : [];
    return html`
      <h2>Snippets</h2>
      <form class="controls" role="search" @submit=${(event: Event) => {
        event.preventDefault();
        this.go({ tag: suggestions[0] ?? this.typedTag.trim().toLowerCase() });
      }}>
        <label class="text">
          <span>Search</span>
          <input type="search" name="q" placeholder="Words of the title, blurb, code or tags" .value=${this.text} @input=${(event: InputEvent) => void this.search((event.target as HTMLInputElement).value)} />
        </label>
        <label>
          <span>Tag</span>
          <input type="search" name="tag" list="tag-suggestions" autocomplete="off" placeholder="e.g. signal/filter" .value=${this.typedTag}
            @input=${(event: InputEvent) => (this.typedTag = (event.target as HTMLInputElement).value)}
            @change=${(event: Event) => this.go({ tag: (event.target as HTMLInputElement).value.trim().toLowerCase() })} />
          <datalist id="tag-suggestions">${suggestions.map((tag) => html`<option value=${tag}></option>`)}</datalist>
        </label>
        <label>
          <span>Sort</span>
          <select name="sort" @change=${(event: Event) => this.go({ sort: (event.target as HTMLSelectElement).value })}>
            ${Object.entries(sorts).map(([key, label]) => html`<option value=${key} ?selected=${key === this.sort}>${label}</option>`)}
          </select>
        </label>
      </form>
      ${suggestions.length > 0
        ? html`<ul class="suggestions" aria-label="Tag suggestions">${suggestions.map((tag) => html`<li><button type="button" class="chip" @click=${() => this.go({ tag })}>${tag}</button></li>`)}</ul>`
        : nothing}
      ${this.renderTagTree(counts)}
      <p class="makers"><button class="create" @click=${() => void this.create()}>New snippet</button></p>
      ${this.renderList()}
    `;
  }

  /** Where the chosen tag sits (each parent a link up) and the tags one level below it (links down). */
  private renderTagTree(counts: ReadonlyMap<string, number>) {
    const below = childTags(counts, this.tag);
    return html`<nav class="tags" aria-label="Tags">
      <span class="path">
        <a href=${this.link({ tag: '' })} aria-current=${this.tag === '' ? 'page' : 'false'}>All tags</a>
        ${this.tag ? tagPath(this.tag).map((tag) => html` / <a href=${this.link({ tag })} aria-current=${tag === this.tag ? 'page' : 'false'}>${tag.split('/').at(-1)}</a>`) : nothing}
      </span>
      ${below.length > 0
        ? html`<ul class="children">${below.map((tag) => html`<li><a class="chip" href=${this.link({ tag })}>${tag.split('/').at(-1)} <span class="count">${counts.get(tag)}</span></a></li>`)}</ul>`
        : nothing}
    </nav>`;
  }

  private renderList() {
    const view = this.view;
    if (view.status === 'loading') return html`<p class="hint" role="status">Loading snippets…</p>`;
    if (view.status === 'failed') {
      return html`<div class="error" role="alert"><p>The snippets could not be listed: ${view.message}</p><button @click=${() => void this.load()}>Try again</button></div>`;
    }
    const found = searchSnippets(view.all, { text: this.text, tags: this.tag ? [this.tag] : [], sort: this.sort });
    if (found.length === 0) {
      const what = [this.text && `“${this.text}”`, this.tag && `the tag ${this.tag}`].filter(Boolean).join(' and ');
      return html`<p class="hint" role="status">${what ? `No snippets match ${what}.` : 'No snippets yet. Make one with “New snippet”.'}</p>`;
    }
    return html`<ul class="documents" aria-label="Snippets">
      ${found.map(
        ({ id, snippet, uses }) => html`<li>
          <a href=${formatHash('snippet/:id', { id })}>
            <span class="title">${snippet.title}</span>
            <span class="blurb">${snippet.blurb}</span>
            <span class="meta">
              ${snippet.tags.map((tag) => html`<span class="tag">${tag}</span>`)}
              <span>${snippet.author}</span>
              ${uses > 0 ? html`<span>used ${uses}×</span>` : nothing}
              ${snippet.forked_from ? html`<span>fork</span>` : nothing}
            </span>
          </a>
        </li>`,
      )}
    </ul>`;
  }

  static override styles = [
    pageStyles,
    css`
      .controls { display: flex; flex-wrap: wrap; gap: 0.75rem; margin-bottom: 0.5rem; }
      .controls .text { flex: 1 1 16rem; }
      .suggestions, .children { list-style: none; display: flex; flex-wrap: wrap; gap: 0.4rem; margin: 0.25rem 0; padding: 0; }
      .chip { display: inline-flex; align-items: center; gap: 0.3rem; min-height: 36px; padding: 0 0.7rem; border-radius: 18px; border: 1px solid var(--accent, #0f5c6e); background: transparent; color: var(--accent, #0f5c6e); text-decoration: none; font: inherit; }
      .count { font-size: 0.8rem; color: var(--muted, #4a5f66); }
      .tags { margin: 0.5rem 0; }
      .path a[aria-current='page'] { font-weight: 600; }
      .documents { list-style: none; margin: 0 0 1rem; padding: 0; border-top: 1px solid var(--border, #c9d6da); }
      .documents a { display: flex; flex-direction: column; gap: 0.2rem; min-height: 44px; padding: 0.6rem 0.5rem; border-bottom: 1px solid var(--border, #c9d6da); color: inherit; text-decoration: none; }
      .documents a:hover, .documents a:focus-visible { background: color-mix(in srgb, var(--accent, #0f5c6e) 8%, transparent); }
      .title { font-weight: 600; }
      .blurb { color: var(--text, #14262c); font-size: 0.95rem; }
      .meta { display: flex; flex-wrap: wrap; gap: 0.75rem; color: var(--muted, #4a5f66); font-size: 0.85rem; }
      .tag { font-family: ui-monospace, monospace; }
    `,
  ];
}

customElements.define('fs-snippets-page', SnippetsPage);

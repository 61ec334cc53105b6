// The edit form of a snippet: what one new version holds. "Save version" sends it up as a `save` event (the page
// writes it onto the version stored then); nothing is written while typing, so a half-typed edit is never a version.
import { css, html } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { Gadget } from '../../core';
import type { SnippetContent, SnippetDocument } from '../../../compute/library';
import { authorName, setAuthorName } from './snippet-author';
import { pageStyles } from '../../shared/page-styles';
import '../../shared/code-editor';

/** Tags as typed: separated by commas or spaces (a tag's parts are separated by `/`). */
export function parseTags(text: string): string[] {
  return text.split(/[,\s]+/).filter((tag) => tag !== '');
}

export class SnippetEditor extends Gadget {
  static override properties = { snippet: { attribute: false }, draft: { state: true }, author: { state: true } };

  /** The version the edit starts from. */
  declare snippet: SnippetDocument | undefined;
  declare draft: SnippetContent | undefined;
  declare author: string;

  constructor() {
    super();
    this.snippet = undefined;
    this.draft = undefined;
    this.author = authorName();
  }

  protected override willUpdate(changed: Map<PropertyKey, unknown>): void {
    if (changed.has('snippet') && this.snippet && !this.draft) {
      const { title, blurb, language, files, tags } = this.snippet;
      this.draft = { title, blurb, language, files: files.map((file) => ({ ...file })), tags: [...tags] };
    }
  }

  private edit(change: Partial<SnippetContent>): void {
    if (this.draft) this.draft = { ...this.draft, ...change };
  }

  private save(event: Event): void {
    event.preventDefault();
    if (!this.draft) return;
    setAuthorName(this.author);
    this.dispatchEvent(new CustomEvent<SnippetContent>('save', { detail: this.draft }));
  }

  override render() {
    const draft = this.draft;
    if (!draft) return html``;
    return html`<form @submit=${(event: Event) => this.save(event)}>
      <label class="field"><span>Title</span><input name="title" .value=${draft.title} @input=${(event: InputEvent) => this.edit({ title: (event.target as HTMLInputElement).value })} /></label>
      <label class="field"><span>Blurb</span><input name="blurb" .value=${draft.blurb} @input=${(event: InputEvent) => this.edit({ blurb: (event.target as HTMLInputElement).value })} /></label>
      <label class="field"><span>Tags (separated by commas; parts by /, e.g. signal/filter)</span>
        <input name="tags" .value=${draft.tags.join(', ')} @change=${(event: Event) => this.edit({ tags: parseTags((event.target as HTMLInputElement).value) })} />
      </label>
      <div class="row">
        <label class="field"><span>Language</span>
          <select name="language" @change=${(event: Event) => this.edit({ language: (event.target as HTMLSelectElement).value as SnippetContent['language'] })}>
            <option value="javascript" ?selected=${draft.language === 'javascript'}>JavaScript</option>
            <option value="typescript" ?selected=${draft.language === 'typescript'}>TypeScript</option>
          </select>
        </label>
        <label class="field"><span>Your name (kept on this device)</span><input name="author" .value=${this.author} @input=${(event: InputEvent) => (this.author = (event.target as HTMLInputElement).value)} /></label>
      </div>
      ${repeat(
        draft.files,
        (file) => file.name,
        (file, index) => html`<div class="file">
          <span class="name">${file.name}</span>
          <fs-code-editor aria-label=${`Code of ${file.name}`} .language=${draft.language} .value=${file.content}
            @change=${(event: CustomEvent<string>) => this.edit({ files: draft.files.map((other, at) => (at === index ? { ...other, content: event.detail } : other)) })}></fs-code-editor>
        </div>`,
      )}
      <div class="row">
        <button type="submit">Save version</button>
        <button type="button" class="danger" @click=${() => this.dispatchEvent(new CustomEvent('cancel'))}>Cancel</button>
      </div>
    </form>`;
  }

  static override styles = [
    pageStyles,
    css`
      form { display: flex; flex-direction: column; gap: 0.6rem; }
      .row { display: flex; flex-wrap: wrap; gap: 0.75rem; align-items: flex-end; }
      .name { font-family: ui-monospace, monospace; font-size: 0.9rem; }
      fs-code-editor { display: block; border: 1px solid var(--border, #c9d6da); border-radius: 4px; min-height: 6rem; }
    `,
  ];
}

customElements.define('fs-snippet-editor', SnippetEditor);

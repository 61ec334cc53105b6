import { css, html, nothing, type PropertyValues } from 'lit';
import { messageOf } from '../../shared/error-report';
import { textField } from '../../shared/doc-fields';
import { Gadget } from '../../core';
import { pageTitleKey, storageKey } from '../../shared/keys';
import { formatHash } from '../../shared/router';
import { confirmAndDelete } from '../../shared/delete-document';
import { pageStyles } from '../../shared/page-styles';
import { imageBytes, type ImageBytes } from './inline-image';
import { DATA_ATTACHMENT, type Doc } from '../../../storage';
import { cannotOpen } from '../../shared/cannot-open';

type ImageView =
  | { status: 'loading' }
  | { status: 'ready'; doc: Doc; url: string; size: number; bytes: ImageBytes }
  | { status: 'failed'; message: string };

/** An Image document (`#/image/<id>`): a saved plot or spectrogram, its source, download and delete. */
export class ImagePage extends Gadget {
  static override properties = { params: { attribute: false }, view: { state: true } };

  declare params: Record<string, string>;
  declare view: ImageView;

  constructor() {
    super();
    this.params = {};
    this.view = { status: 'loading' };
  }

  private get docId(): string {
    return this.params['id'] ?? '';
  }

  private readonly load = this.job(
    async (signal, id: string): Promise<ImageView> => {
      try {
        const storage = await this.acquireWith({ signal }, storageKey);
        const doc = await storage.get(id, { signal });
        if (doc['portal_type'] !== 'Image') throw new Error(`“${id}” is a ${String(doc['portal_type'])}, not an image.`);
        const bytes = imageBytes(await storage.getAttachment(id, DATA_ATTACHMENT, { signal }));
        return { status: 'ready', doc, url: URL.createObjectURL(bytes.blob), size: bytes.blob.size, bytes };
      } catch (error) {
        if (signal.aborted) throw error;
        return { status: 'failed', message: messageOf(error) };
      }
    },
    (view) => {
      this.showView(view);
      if (view.status === 'ready') void this.acquire(pageTitleKey, textField(view.doc, 'title') || 'Image');
    },
  );

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('params') && changed.get('params')?.['id'] !== this.docId) {
      this.showView({ status: 'loading' });
      void this.load(this.docId);
    }
  }

  override disconnectedCallback(): void {
    this.showView({ status: 'loading' }); // frees the image's object URL
    super.disconnectedCallback();
  }

  /** Replaces the view, releasing the previous image's object URL. */
  private showView(view: ImageView): void {
    if (this.view.status === 'ready') URL.revokeObjectURL(this.view.url);
    this.view = view;
  }

  override render() {
    const view = this.view;
    if (view.status === 'loading') return html`<p class="hint" role="status">Loading the image…</p>`;
    if (view.status === 'failed') {
      return cannotOpen('This image', view.message, { href: '#/images', label: 'All images' });
    }
    const title = textField(view.doc, 'title') || 'Image';
    const source = textField(view.doc, 'source');
    const { bytes } = view;
    const fileName = `${(textField(view.doc, 'reference') || this.docId).replace(/[^\w.-]+/g, '_')}.${bytes.extension}`;
    const from = source ? html` — from <a href=${formatHash('array/:id', { id: source })}>its data array</a>` : nothing;
    return html`
      ${bytes.inline
        ? html`<figure>
            <img src=${view.url} alt=${title} />
            <figcaption>${title}${from}</figcaption>
          </figure>`
        : html`<p class="hint" role="status">
            “${title}”${from} is of type ${bytes.type}, which is not shown here: only PNG, JPEG, GIF, WebP, AVIF and BMP images are,
            as other types can carry script. Download it to open it elsewhere.
          </p>`}
      <div class="actions">
        <a class="button" href=${view.url} download=${fileName}>Download ${bytes.inline ? bytes.format : 'the file'} (${Math.ceil(view.size / 1024)} KB)</a>
        <button class="danger" @click=${() => void confirmAndDelete(this, this.docId, `the image “${title}”`, '#/images')}>Delete</button>
      </div>
    `;
  }

  static override styles = [
    pageStyles,
    css`
      figure {
        margin: 0 0 1rem;
      }
      img {
        max-width: 100%;
        height: auto;
        border: 1px solid var(--border, #c9d6da);
        border-radius: 6px;
        background: #fff;
      }
      figcaption {
        color: var(--muted, #4a5f66);
        margin-top: 0.5rem;
      }
      .actions {
        display: flex;
        flex-wrap: wrap;
        gap: 0.75rem;
      }
    `,
  ];
}


customElements.define('fs-image-page', ImagePage);

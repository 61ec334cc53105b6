import { css, html, nothing } from 'lit';
import { Gadget } from '../core';
import { storageKey } from '../app/keys';
import { formatHash } from '../app/router';
import { messageOf } from '../app/error-report';
import { importFile, type ImportResult } from '../../compute/ingest/import-file';
import { pageStyles } from './page-styles';

interface FileImport {
  name: string;
  progress: number;
  controller: AbortController;
  result?: ImportResult;
  problem?: string;
}

/**
 * Import (`#/import`): WAV and CSV files chosen or dropped, several at once, each with its progress and a Cancel; each becomes a
 * Data Stream and one Data Array per channel. A failed or cancelled file leaves nothing behind and says why.
 */
export class ImportPage extends Gadget {
  static override properties = { params: { attribute: false }, imports: { state: true }, dragging: { state: true } };
  declare params: Record<string, string>;
  declare imports: FileImport[];
  declare dragging: boolean;

  constructor() {
    super();
    this.params = {};
    this.imports = [];
    this.dragging = false;
  }

  private start(files: Iterable<File>): void {
    for (const file of files) void this.importOne(file);
  }

  private async importOne(file: File): Promise<void> {
    const entry: FileImport = { name: file.name, progress: 0, controller: new AbortController() };
    this.imports = [...this.imports, entry];
    const update = (change: Partial<FileImport>) => {
      Object.assign(entry, change);
      this.imports = [...this.imports];
    };
    try {
      const storage = await this.acquire(storageKey);
      const result = await importFile(storage, file, { signal: entry.controller.signal, onProgress: (progress) => update({ progress }) });
      update({ result, progress: 1 });
    } catch (error) {
      update({ problem: entry.controller.signal.aborted ? `${file.name}: cancelled, nothing was kept.` : messageOf(error) });
    }
  }

  private onDrop(event: DragEvent): void {
    event.preventDefault();
    this.dragging = false;
    if (event.dataTransfer?.files) this.start(event.dataTransfer.files);
  }

  override render() {
    return html`
      <h2>Import files</h2>
      <label
        class="drop ${this.dragging ? 'over' : ''}"
        @dragover=${(event: DragEvent) => {
          event.preventDefault();
          this.dragging = true;
        }}
        @dragleave=${() => (this.dragging = false)}
        @drop=${(event: DragEvent) => this.onDrop(event)}
      >
        <span>Drop WAV, CSV or .npy files here, or choose them</span>
        <input type="file" accept=".wav,.csv,.txt,.npy,audio/wav,audio/x-wav,text/csv" multiple @change=${(event: Event) => this.start((event.target as HTMLInputElement).files ?? [])} />
      </label>
      <ul class="imports" aria-label="Imports">
        ${this.imports.map(
          (item) => html`<li>
            <strong>${item.name}</strong>
            ${item.problem
              ? html`<p class="error" role="alert">${item.problem}</p>`
              : item.result
                ? html`<p role="status">
                    Imported:
                    <a href=${formatHash('stream/:id', { id: item.result.streamId })}>the stream</a>
                    ${item.result.arrayIds.map((id, channel) => html` · <a href=${formatHash('array/:id', { id })}>${item.result!.arrayIds.length > 1 ? `channel ${channel + 1}` : 'its graph'}</a>`)}
                  </p>`
                : html`<progress max="1" .value=${item.progress} aria-label=${`Importing ${item.name}`}></progress>
                    <button class="danger" @click=${() => item.controller.abort()}>Cancel</button>`}
          </li>`,
        )}
      </ul>
      ${this.imports.length === 0 ? html`<p class="hint">Each file becomes a Data Stream (its bytes, as they are) and a Data Array per channel.</p>` : nothing}
    `;
  }

  static override styles = [
    pageStyles,
    css`
      .drop {
        display: flex;
        flex-direction: column;
        align-items: center;
        justify-content: center;
        gap: 0.75rem;
        min-height: 9rem;
        border: 2px dashed var(--border, #c9d6da);
        border-radius: 10px;
        padding: 1rem;
        text-align: center;
      }
      .drop.over {
        border-color: var(--accent, #0f5c6e);
        background: color-mix(in srgb, var(--accent, #0f5c6e) 8%, transparent);
      }
      .imports {
        list-style: none;
        padding: 0;
      }
      .imports li {
        padding: 0.6rem 0;
        border-bottom: 1px solid var(--border, #c9d6da);
        display: flex;
        flex-wrap: wrap;
        gap: 0.75rem;
        align-items: center;
      }
      progress {
        flex: 1;
        min-width: 10rem;
      }
    `,
  ];
}

customElements.define('fs-import-page', ImportPage);

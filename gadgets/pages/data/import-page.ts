import { css, html, nothing } from 'lit';
import { Gadget } from '../../core';
import { formatHash } from '../../shared/router';
import { messageOf } from '../../shared/error-report';
import { needsRawFormat, type ImportResult } from '../../../compute/ingest/import-file';
import { importFileInWorker } from '../../../compute/ingest/import-in-worker';
import { MAX_CHANNELS } from '../../../compute/ingest/channel-limit';
import { RAW_DTYPES, parseRawFormat, type RawDType, type RawFormat } from '../../../compute/ingest/raw-decoder';
import { pageStyles } from '../../shared/page-styles';

interface FileImport {
  name: string;
  progress: number;
  controller: AbortController;
  result?: ImportResult;
  problem?: string;
}

/** The raw-format form as typed (strings, so a bad entry is kept to be corrected, not lost). */
interface RawFields {
  dtype: RawDType;
  channels: string;
  sampleRate: string;
  littleEndian: boolean;
}

/** Which field a problem is about, for aria-invalid. */
type RawField = 'channels' | 'sampleRate';

/**
 * Import (`#/import`): WAV, CSV and .npy files chosen or dropped, several at once, each with its progress and a Cancel; each
 * becomes a Data Stream and one Data Array per channel. Raw sample files (no header) wait for a form declaring their
 * format. A failed or cancelled file leaves nothing behind and says why.
 */
export class ImportPage extends Gadget {
  static override properties = {
    params: { attribute: false },
    imports: { state: true },
    dragging: { state: true },
    rawFiles: { state: true },
    rawFields: { state: true },
    rawProblem: { state: true },
  };
  declare params: Record<string, string>;
  declare imports: FileImport[];
  declare dragging: boolean;
  /** Raw files waiting for their format to be declared. */
  declare rawFiles: File[];
  declare rawFields: RawFields;
  declare rawProblem: { field: RawField | undefined; message: string } | undefined;

  constructor() {
    super();
    this.params = {};
    this.imports = [];
    this.dragging = false;
    this.rawFiles = [];
    this.rawFields = { dtype: 'int16', channels: '1', sampleRate: '', littleEndian: true };
    this.rawProblem = undefined;
  }

  /** Files whose kind is known import at once; raw ones wait for the format form. */
  private start(files: Iterable<File>): void {
    const raw: File[] = [];
    for (const file of files) {
      if (needsRawFormat(file.name, file.type)) raw.push(file);
      else void this.importOne(file);
    }
    if (raw.length > 0) this.rawFiles = [...this.rawFiles, ...raw];
  }

  /** Checks the form; on a problem says which field and keeps every file and entry. */
  private importRaw(event: SubmitEvent): void {
    event.preventDefault();
    const { dtype, channels, sampleRate, littleEndian } = this.rawFields;
    const count = Number(channels);
    if (channels.trim() === '' || !Number.isInteger(count) || count < 1 || count > MAX_CHANNELS) {
      this.rawProblem = { field: 'channels', message: `Channels: enter a whole number from 1 to ${MAX_CHANNELS}.` };
      return;
    }
    const rate = sampleRate.trim() === '' ? undefined : Number(sampleRate);
    if (rate !== undefined && !(Number.isFinite(rate) && rate > 0)) {
      this.rawProblem = { field: 'sampleRate', message: 'Sample rate: enter a number of Hz above 0, or leave it empty if it is not known.' };
      return;
    }
    let format: RawFormat;
    try {
      format = parseRawFormat({ dtype, channels: count, ...(rate !== undefined ? { sampleRate: rate } : {}), littleEndian });
    } catch (error) {
      this.rawProblem = { field: undefined, message: messageOf(error) };
      return;
    }
    this.rawProblem = undefined;
    const files = this.rawFiles;
    this.rawFiles = [];
    for (const file of files) void this.importOne(file, format);
  }

  private editRaw(change: Partial<RawFields>): void {
    this.rawFields = { ...this.rawFields, ...change };
  }

  private async importOne(file: File, rawFormat?: RawFormat): Promise<void> {
    const entry: FileImport = { name: file.name, progress: 0, controller: new AbortController() };
    this.imports = [...this.imports, entry];
    const update = (change: Partial<FileImport>) => {
      Object.assign(entry, change);
      this.imports = [...this.imports];
    };
    try {
      // In a worker: decoding and writing a large file leave the page responsive.
      const result = await importFileInWorker(file, { signal: entry.controller.signal, onProgress: (progress) => update({ progress }), ...(rawFormat ? { rawFormat } : {}) });
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
        <span>Drop WAV, CSV, .npy or raw sample files (.raw, .bin, .dat, .f32, .pcm) here, or choose them</span>
        <input
          type="file"
          accept=".wav,.csv,.txt,.npy,.raw,.bin,.dat,.f32,.pcm,audio/wav,audio/x-wav,text/csv,application/octet-stream"
          multiple
          @change=${(event: Event) => {
            const input = event.target as HTMLInputElement;
            this.start([...(input.files ?? [])]);
            input.value = ''; // choosing the same file again (e.g. after fixing the format) is a change too
          }}
        />
      </label>
      ${this.rawFiles.length > 0 ? this.renderRawForm() : nothing}
      <ul class="imports" aria-label="Imports">
        ${this.imports.map(
          (item) => html`<li>
            <strong>${item.name}</strong>
            ${item.problem
              ? html`<p class="error" role="alert">${item.problem}</p>`
              : item.result
                ? html`<p role="status">
                    Imported:
                    <a class="next" href=${formatHash('stream/:id', { id: item.result.streamId })}>the stream</a>
                    ${item.result.arrayIds.map((id, channel) => html` · <a class="next" href=${formatHash('array/:id', { id })}>${item.result!.arrayIds.length > 1 ? `channel ${channel + 1}` : 'its graph'}</a>`)}
                  </p>`
                : html`<progress max="1" .value=${item.progress} aria-label=${`Importing ${item.name}`}></progress>
                    <button class="danger" @click=${() => item.controller.abort()}>Cancel</button>`}
          </li>`,
        )}
      </ul>
      ${this.imports.length === 0 ? html`<p class="hint">Each file becomes a Data Stream (its bytes, as they are) and a Data Array per channel.</p>` : nothing}
    `;
  }

  /** The format of headerless files: type, channels, rate, byte order — applied to every raw file waiting. */
  private renderRawForm() {
    const fields = this.rawFields;
    const problem = this.rawProblem;
    const invalid = (field: RawField) => (problem?.field === field ? 'true' : 'false');
    const count = this.rawFiles.length;
    return html`
      <form class="raw" aria-labelledby="raw-heading" novalidate @submit=${(event: SubmitEvent) => this.importRaw(event)}>
        <h3 id="raw-heading">Raw samples: declare their format</h3>
        <p class="hint">
          These files have no header saying how their bytes are samples:
          ${this.rawFiles.map((file, index) => html`${index > 0 ? ', ' : ''}<strong>${file.name}</strong> (${file.size.toLocaleString('en')} bytes)`)}.
          Samples of all channels follow each other, frame by frame.
        </p>
        <div class="fields">
          <label
            >Sample type
            <select name="dtype" @change=${(event: Event) => this.editRaw({ dtype: (event.target as HTMLSelectElement).value as RawDType })}>
              ${Object.keys(RAW_DTYPES).map((dtype) => html`<option value=${dtype} ?selected=${dtype === fields.dtype}>${dtype}</option>`)}
            </select>
          </label>
          <label
            >Channels
            <input
              name="channels"
              type="number"
              inputmode="numeric"
              min="1"
              max=${MAX_CHANNELS}
              step="1"
              .value=${fields.channels}
              aria-invalid=${invalid('channels')}
              aria-describedby="raw-problem"
              @input=${(event: Event) => this.editRaw({ channels: (event.target as HTMLInputElement).value })}
          /></label>
          <label
            >Sample rate (Hz)
            <input
              name="sampleRate"
              type="number"
              inputmode="decimal"
              min="0"
              step="any"
              placeholder="not known"
              .value=${fields.sampleRate}
              aria-invalid=${invalid('sampleRate')}
              aria-describedby="raw-problem"
              @input=${(event: Event) => this.editRaw({ sampleRate: (event.target as HTMLInputElement).value })}
          /></label>
          <fieldset>
            <legend>Byte order</legend>
            <label class="choice"
              ><input type="radio" name="order" value="little" .checked=${fields.littleEndian} @change=${() => this.editRaw({ littleEndian: true })} /> Little-endian</label
            >
            <label class="choice"
              ><input type="radio" name="order" value="big" .checked=${!fields.littleEndian} @change=${() => this.editRaw({ littleEndian: false })} /> Big-endian</label
            >
          </fieldset>
        </div>
        <p id="raw-problem" class=${problem ? 'error' : ''} role="alert">${problem?.message ?? ''}</p>
        <div class="actions">
          <button type="submit">Import ${count} raw file${count === 1 ? '' : 's'}</button>
          <button
            type="button"
            class="danger"
            @click=${() => {
              this.rawFiles = [];
              this.rawProblem = undefined;
            }}
          >
            Don’t import ${count === 1 ? 'it' : 'them'}
          </button>
        </div>
      </form>
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
      .raw {
        margin: 1rem 0;
        padding: 1rem;
        border: 1px solid var(--border, #c9d6da);
        border-radius: 10px;
      }
      .raw h3 {
        font-size: 1.1rem;
        margin: 0 0 0.5rem;
      }
      .fields,
      .actions {
        display: flex;
        flex-wrap: wrap;
        gap: 0.75rem;
        align-items: end;
      }
      fieldset {
        border: 1px solid var(--border, #c9d6da);
        border-radius: 6px;
        margin: 0;
        padding: 0.25rem 0.75rem;
        display: flex;
        gap: 1rem;
      }
      legend {
        font-size: 0.9rem;
        color: var(--muted, #4a5f66);
      }
      form label.choice {
        flex-direction: row;
        align-items: center;
        min-height: 44px;
        color: inherit;
        font-size: 1rem;
      }
      form label.choice input {
        min-height: auto;
      }
      #raw-problem:empty {
        display: none;
      }
    `,
  ];
}

customElements.define('fs-import-page', ImportPage);

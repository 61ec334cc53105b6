// The cells of a notebook and the kernel that runs them (loaded with the notebook page only: CodeMirror, marked,
// DOMPurify and the kernel come with it). Cells are saved into the Notebook document with Storage.update, merged cell
// by cell onto the stored version; each output message is an Output document of its own.
import { css, html, nothing } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { Gadget, Mutex, sleep, untilAborted } from '../../core';
import { storageKey } from '../../shared/keys';
import { messageOf } from '../../shared/error-report';
import { executeRequest, INTERRUPTED, KernelSession, type KernelState } from '../../../compute/kernel/kernel-session';
import { parentMsgId, type JupyterMessage } from '../../../compute/kernel/messages';
import { mergeCells } from '../../../compute/notebook/merge-cells';
import { newCodeCell, newMarkdownCell, notebookCells, type Cell, type CodeCell } from '../../../compute/notebook/notebook-document';
import { outputDocument, outputsOf, type OutputDocument } from '../../../compute/notebook/output-document';
import { OutputWriter } from '../../../compute/notebook/output-writer';
import { exportIpynb } from '../../../compute/notebook/ipynb';
import { downloadFile, fileNameOf } from '../../shared/download-file';
import type { Doc, Storage } from '../../../storage';
import type { RunKey } from '../../shared/code-editor';
import { renderMarkdown, renderOutput } from './notebook-output';
import { pageStyles } from '../../shared/page-styles';
import { citedKeys, lookUpCitations, type CitationLookup } from '../../../compute/library/citations';
import { referenceId } from '../../../compute/library/reference-document';
import '../../shared/code-editor';
import { followChanges } from '../../shared/follow-changes';

const SAVE_DELAY_MS = 600;

/** A cell of the stored notebook, only when it has cells (an old text notebook keeps its text as Notes). */
function storedCells(doc: Doc | undefined): Cell[] {
  return doc && Array.isArray(doc['cells']) ? notebookCells(doc) : [];
}

export class NotebookCells extends Gadget {
  static override properties = {
    notebookId: { attribute: false },
    doc: { attribute: false },
    cells: { state: true },
    outputs: { state: true },
    kernelState: { state: true },
    running: { state: true },
    editing: { state: true },
    message: { state: true },
    citations: { state: true },
  };

  declare notebookId: string;
  /** The stored Notebook document, as the page last read it (it follows changes made elsewhere). */
  declare doc: Doc | undefined;
  declare cells: Cell[];
  declare outputs: ReadonlyMap<string, OutputDocument[]>;
  declare kernelState: KernelState;
  declare running: ReadonlySet<string>;
  /** Markdown cells shown as their source (being edited). */
  declare editing: ReadonlySet<string>;
  declare message: string | undefined;
  /** The references the markdown cells cite, by key; undefined until looked up. */
  declare citations: CitationLookup | undefined;
  /** The keys `citations` was looked up for (joined), so typing elsewhere does not query again. */
  private citedKeys = '';
  /** The cells as last read from or written to storage: the base of the next merge. */
  private base: Cell[] = [];
  private dirty = false;
  /** The modification date of the version this gadget last saved: an older version arriving late is not shown. */
  private savedAt = '';
  private storage: Storage | undefined;
  private readonly saving = new Mutex();
  /** execute_request msg_id → the cell it runs and how many outputs it has had. */
  private readonly runs = new Map<string, { cell: string; sequence: number }>();
  private readonly kernel: KernelSession;
  private readonly outputWriter = new OutputWriter(
    () => this.openStorage(),
    (error) => (this.message = `An output could not be stored (it is shown, but gone after a reload): ${messageOf(error)}`),
  );

  constructor() {
    super();
    this.notebookId = '';
    this.doc = undefined;
    this.cells = [];
    this.outputs = new Map();
    this.kernelState = 'idle';
    this.running = new Set();
    this.editing = new Set();
    this.message = undefined;
    this.citations = undefined;
    this.kernel = new KernelSession({
      gadget: this,
      storage: () => this.openStorage(),
      onMessage: (message) => this.onKernelMessage(message),
      onState: (state) => (this.kernelState = state),
    });
    // A reference added, edited or removed (an import, a sync): citations show it without a reload.
    this.service(followChanges(this, () => void this.lookUp(this.citedKeys === '' ? [] : this.citedKeys.split('\n')), { pick: (change) => change.id.startsWith(referenceId('')) }));
    this.service(async (signal) => {
      await untilAborted(signal);
      this.kernel.close();
      if (this.dirty) void this.save();
    });
  }

  private async openStorage(): Promise<Storage> {
    this.storage ??= await this.acquire(storageKey);
    return this.storage;
  }

  /** Looks up the cited keys; a newer lookup (cells edited meanwhile) supersedes an older one. */
  private readonly lookUp = this.job(
    async (signal, keys: string[]) => (keys.length === 0 ? new Map() : lookUpCitations(await this.openStorage(), keys, { signal })),
    (found) => (this.citations = found),
  );

  /** After the cells changed (loaded, edited, synced): look up the keys their markdown cites, when those changed. */
  protected override updated(changed: Map<PropertyKey, unknown>): void {
    if (!changed.has('cells')) return;
    const keys = this.cells.flatMap((cell) => (cell.cell_type === 'markdown' ? citedKeys(cell.source) : []));
    const joined = [...new Set(keys)].sort().join('\n');
    if (joined === this.citedKeys) return;
    this.citedKeys = joined;
    void this.lookUp(joined === '' ? [] : joined.split('\n'));
  }

  protected override willUpdate(changed: Map<PropertyKey, unknown>): void {
    if (!changed.has('doc')) return;
    // Cells being edited here are never replaced by a stored version (the save merges them onto it), whatever the
    // document did meanwhile (a sync, another tab, the page reloading its document).
    if (this.dirty) return;
    const date = this.doc?.['modification_date'];
    if (typeof date === 'string' && date < this.savedAt) return;
    const stored = storedCells(this.doc);
    this.cells = stored;
    this.base = stored;
    void this.loadOutputs(stored.filter((cell) => !this.outputs.has(cell.id)));
  }

  private async loadOutputs(cells: Cell[]): Promise<void> {
    const storage = await this.openStorage();
    for (const cell of cells) {
      if (cell.cell_type !== 'code' || !cell.msg_id) continue;
      const outputs = await outputsOf(storage, cell.msg_id);
      this.outputs = new Map(this.outputs).set(cell.id, outputs);
    }
  }

  private readonly saveSoon = this.job(async (signal) => {
    await sleep(SAVE_DELAY_MS, signal);
    await this.save();
  });

  /** Writes the cells, merged cell by cell onto the stored version, in one step. */
  private readonly save = this.mutex(async () => {
    if (!this.dirty) return;
    const storage = await this.openStorage();
    const mine = this.cells;
    const base = this.base;
    try {
      let merged: Cell[] = mine;
      let savedAt = '';
      const written = await storage.update(this.notebookId, (current) => {
        if (!current) return undefined; // deleted: the page says so
        merged = mergeCells(base, storedCells(current), mine);
        savedAt = new Date().toISOString();
        return { ...current, cells: merged, modification_date: savedAt };
      });
      if (this.cells === mine) {
        this.dirty = false;
        this.cells = merged;
      }
      this.base = merged;
      if (written) {
        this.savedAt = savedAt;
        this.message = undefined;
      }
    } catch (error) {
      this.message = `The cells were not saved: ${messageOf(error)}`;
    }
  }, this.saving);

  private change(cells: Cell[]): void {
    this.cells = cells;
    this.dirty = true;
    void this.saveSoon();
  }

  private editCell(id: string, change: Partial<CodeCell>): void {
    this.change(this.cells.map((cell) => (cell.id === id ? ({ ...cell, ...change } as Cell) : cell)));
  }

  private addCell(kind: 'code' | 'markdown', after?: string): Cell {
    const cell = kind === 'code' ? newCodeCell() : newMarkdownCell();
    const at = after === undefined ? this.cells.length : this.cells.findIndex((candidate) => candidate.id === after) + 1;
    this.change([...this.cells.slice(0, at), cell, ...this.cells.slice(at)]);
    if (kind === 'markdown') this.editing = new Set(this.editing).add(cell.id);
    return cell;
  }

  private moveCell(id: string, by: -1 | 1): void {
    const cells = [...this.cells];
    const at = cells.findIndex((cell) => cell.id === id);
    const to = at + by;
    if (at < 0 || to < 0 || to >= cells.length) return;
    [cells[at], cells[to]] = [cells[to] as Cell, cells[at] as Cell];
    this.change(cells);
  }

  private async deleteCell(id: string): Promise<void> {
    this.change(this.cells.filter((cell) => cell.id !== id));
    await this.outputWriter.clear(this.notebookId, { cell: id });
  }

  private onKernelMessage(message: JupyterMessage): void {
    const parent = parentMsgId(message);
    const run = parent ? this.runs.get(parent) : undefined;
    if (!run) return;
    if (message.header.msg_type === 'execute_input') {
      const count = (message.content as { execution_count: number }).execution_count;
      this.cells = this.cells.map((cell) => (cell.id === run.cell && cell.cell_type === 'code' ? { ...cell, execution_count: count } : cell));
      return;
    }
    const output = outputDocument(message, { notebook: this.notebookId, cell: run.cell, sequence: run.sequence });
    if (!output) return;
    run.sequence += 1;
    this.outputs = new Map(this.outputs).set(run.cell, [...(this.outputs.get(run.cell) ?? []), output]);
    this.outputWriter.save(output);
  }

  /** Runs a code cell (a markdown cell: shows it rendered). Its old outputs go; the new ones stream in. */
  private async runCell(id: string): Promise<void> {
    const cell = this.cells.find((candidate) => candidate.id === id);
    if (!cell) return;
    if (cell.cell_type === 'markdown') {
      const editing = new Set(this.editing);
      editing.delete(id);
      this.editing = editing;
      return;
    }
    const request = executeRequest(cell.source, cell.language, this.kernel.session);
    this.runs.set(request.header.msg_id, { cell: id, sequence: 0 });
    this.outputs = new Map(this.outputs).set(id, []);
    this.running = new Set(this.running).add(id);
    this.editCell(id, { msg_id: request.header.msg_id });
    try {
      await this.outputWriter.clear(this.notebookId, { cell: id });
      const reply = await this.kernel.execute(request);
      if (reply.content.status === 'aborted') {
        const stopped = makeInterrupted(request, this.notebookId, id, this.runs.get(request.header.msg_id)?.sequence ?? 0);
        this.outputs = new Map(this.outputs).set(id, [...(this.outputs.get(id) ?? []), stopped]);
        this.outputWriter.save(stopped);
      }
      this.editCell(id, { msg_id: request.header.msg_id });
    } catch (error) {
      this.message = messageOf(error);
    } finally {
      this.runs.delete(request.header.msg_id);
      const running = new Set(this.running);
      running.delete(id);
      this.running = running;
    }
  }

  private async runAll(): Promise<void> {
    for (const cell of [...this.cells]) {
      await this.runCell(cell.id);
      if ((this.outputs.get(cell.id) ?? []).some((output) => output.msg_type === 'error')) break; // stop on error, as Jupyter does
    }
  }

  private onRun(id: string, key: RunKey): void {
    void this.runCell(id);
    if (key !== 'run-and-next') return;
    const at = this.cells.findIndex((cell) => cell.id === id);
    const next = this.cells[at + 1] ?? this.addCell('code');
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(`[data-cell="${next.id}"] fs-code-editor`)?.focus());
  }

  private async interrupt(): Promise<void> {
    await this.kernel.interrupt();
    this.message = 'The kernel was restarted to stop the cell: variables of earlier cells are gone, run the cells they come from again.';
  }

  private async restart(): Promise<void> {
    await this.kernel.restart();
    this.message = 'The kernel was restarted: every variable is gone.';
  }

  /** Downloads the notebook as .ipynb (nbformat 4.5) with its stored outputs: it opens in Jupyter as it is here. */
  private async exportNotebook(): Promise<void> {
    try {
      const title = typeof this.doc?.['title'] === 'string' ? this.doc['title'] : 'notebook';
      await this.outputWriter.flush();
      const text = await exportIpynb(await this.openStorage(), this.notebookId, title, this.cells);
      downloadFile([text], 'application/x-ipynb+json', `${fileNameOf(title) || 'notebook'}.ipynb`);
    } catch (error) {
      this.message = `The notebook could not be exported: ${messageOf(error)}`;
    }
  }

  private async clearAll(): Promise<void> {
    await this.outputWriter.clear(this.notebookId);
    this.outputs = new Map();
  }

  override render() {
    const busy = this.kernelState === 'busy';
    return html`
      <div class="toolbar" role="toolbar" aria-label="Notebook">
        <button @click=${() => void this.runAll()}>Run all</button>
        <button @click=${() => void this.interrupt()} ?disabled=${!busy}>Interrupt</button>
        <button @click=${() => void this.restart()}>Restart</button>
        <button @click=${() => void this.clearAll()}>Clear outputs</button>
        <button @click=${() => void this.exportNotebook()}>Export .ipynb</button>
        <span class="kernel ${this.kernelState}" role="status" aria-label="Kernel">Kernel: ${this.kernelState}</span>
      </div>
      ${this.message ? html`<p class="hint kernel-message" role="note">${this.message} <button @click=${() => (this.message = undefined)}>Dismiss</button></p>` : nothing}
      <ol class="cells">
        ${repeat(this.cells, (cell) => cell.id, (cell, index) => this.renderCell(cell, index))}
      </ol>
      <div class="add">
        <button @click=${() => this.addCell('code')}>+ Code</button>
        <button @click=${() => this.addCell('markdown')}>+ Markdown</button>
      </div>
    `;
  }

  private renderCell(cell: Cell, index: number) {
    const running = this.running.has(cell.id);
    const prompt = cell.cell_type === 'code' ? `[${running ? '*' : cell.execution_count ?? ' '}]` : '';
    const editor = html`<fs-code-editor
      aria-label=${`Cell ${index + 1} source`}
      .language=${cell.cell_type === 'code' ? cell.language : 'markdown'}
      .value=${cell.source}
      @change=${(event: CustomEvent<string>) => this.editCell(cell.id, { source: event.detail })}
      @run=${(event: CustomEvent<RunKey>) => this.onRun(cell.id, event.detail)}
    ></fs-code-editor>`;
    const showMarkdown = cell.cell_type === 'markdown' && !this.editing.has(cell.id);
    return html`<li class="cell ${cell.cell_type}" data-cell=${cell.id} aria-label=${`Cell ${index + 1}`}>
      <div class="cell-head">
        <span class="prompt">${prompt}</span>
        ${cell.cell_type === 'code'
          ? html`<select aria-label="Language" .value=${cell.language} @change=${(event: Event) => this.editCell(cell.id, { language: (event.target as HTMLSelectElement).value as CodeCell['language'] })}>
              <option value="javascript">JavaScript</option>
              <option value="typescript">TypeScript</option>
              <option value="python">Python</option>
            </select>`
          : html`<span class="kind">Markdown</span>`}
        <span class="cell-actions">
          <button aria-label="Run cell" @click=${() => void this.runCell(cell.id)}>▶ Run</button>
          ${cell.cell_type === 'markdown' && showMarkdown ? html`<button @click=${() => (this.editing = new Set(this.editing).add(cell.id))}>Edit</button>` : nothing}
          <button aria-label="Move up" @click=${() => this.moveCell(cell.id, -1)} ?disabled=${index === 0}>↑</button>
          <button aria-label="Move down" @click=${() => this.moveCell(cell.id, 1)} ?disabled=${index === this.cells.length - 1}>↓</button>
          <button aria-label="Delete cell" class="danger" @click=${() => void this.deleteCell(cell.id)}>✕</button>
        </span>
      </div>
      ${showMarkdown ? renderMarkdown(cell.source, this.citations) : editor}
      ${cell.cell_type === 'code' ? html`<div class="outputs" aria-label=${`Cell ${index + 1} output`} aria-live="polite">${(this.outputs.get(cell.id) ?? []).map(renderOutput)}</div>` : nothing}
    </li>`;
  }

  static override styles = [
    pageStyles,
    css`
      :host { display: flex; flex-direction: column; gap: 0.5rem; }
      .toolbar, .add, .cell-head { display: flex; flex-wrap: wrap; gap: 0.4rem; align-items: center; }
      .kernel { margin-left: auto; color: var(--muted, #4a5f66); }
      .kernel.busy { color: var(--accent, #0f5c6e); font-weight: 600; }
      .cells { list-style: none; margin: 0; padding: 0; display: flex; flex-direction: column; gap: 0.75rem; }
      .cell { border: 1px solid var(--border, #c9d6da); border-radius: 6px; padding: 0.4rem; background: var(--surface, #fff); }
      .prompt { font-family: ui-monospace, monospace; min-width: 3rem; color: var(--muted, #4a5f66); }
      .cell-actions { margin-left: auto; display: flex; gap: 0.25rem; }
      fs-code-editor { display: block; border: 1px solid var(--border, #c9d6da); border-radius: 4px; min-height: 2.5rem; font-size: 0.95rem; }
      .outputs pre { margin: 0.25rem 0; white-space: pre-wrap; word-break: break-word; font-size: 0.9rem; }
      .stream.stderr { color: #8a4b00; }
      .error-output { color: var(--danger, #a3201c); }
      .html-output { width: 100%; min-height: 6rem; border: 1px dashed var(--border, #c9d6da); background: #fff; }
      .image-output { max-width: 100%; }
      .array-output { margin: 0.25rem 0; }
      .array-output fs-graph { display: block; height: 16rem; }
      .table-output { border-collapse: collapse; font-size: 0.85rem; }
      .table-output td, .table-output th { border: 1px solid var(--border, #c9d6da); padding: 0.1rem 0.4rem; }
      .citation.unknown { color: var(--danger, #a3201c); font-weight: 600; }
      .citation.pending { color: var(--muted, #4a5f66); }
      button { min-height: 2.25rem; }
    `,
  ];
}

/** The output telling why a stopped cell has no result. */
function makeInterrupted(request: JupyterMessage<'execute_request'>, notebook: string, cell: string, sequence: number): OutputDocument {
  const header = { ...request.header, msg_id: crypto.randomUUID(), msg_type: 'error' as const, date: new Date().toISOString() };
  const message: JupyterMessage<'error'> = { header, parent_header: request.header, metadata: {}, content: { ...INTERRUPTED, traceback: [`${INTERRUPTED.ename}: ${INTERRUPTED.evalue}`] }, channel: 'iopub' };
  const output = outputDocument(message as JupyterMessage, { notebook, cell, sequence });
  if (!output) throw new Error('an error message is always an output');
  return output;
}

customElements.define('fs-notebook-cells', NotebookCells);

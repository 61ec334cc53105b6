// Run for a snippet's page: the code in a notebook kernel of its own (a worker, offline like every notebook), its
// outputs shown under it as a notebook shows them. Nothing of a run is stored: running a snippet changes no document
// but the ones its code writes itself (e.g. the band-pass filter's new array).
import { css, html, nothing } from 'lit';
import { Gadget, untilAborted } from '../../core';
import { storageKey } from '../../shared/keys';
import { messageOf } from '../../shared/error-report';
import { executeRequest, KernelSession, type KernelState } from '../../../compute/kernel/kernel-session';
import { parentMsgId, type JupyterMessage } from '../../../compute/kernel/messages';
import { outputDocument, type OutputDocument } from '../../../compute/notebook/output-document';
import type { CellLanguage } from '../../../compute/notebook/notebook-document';
import { renderOutput } from '../notebook/notebook-output';
import { pageStyles } from '../../shared/page-styles';

/** `<fs-snippet-run>`: `run(code, language)` runs it in a fresh kernel; `outputs` shows what it printed and returned. */
export class SnippetRun extends Gadget {
  static override properties = { outputs: { state: true }, kernelState: { state: true }, message: { state: true } };

  declare outputs: OutputDocument[];
  declare kernelState: KernelState;
  declare message: string | undefined;
  private readonly kernel: KernelSession;
  /** The request whose outputs are shown; messages of an older run are ignored. */
  private current = '';

  constructor() {
    super();
    this.outputs = [];
    this.kernelState = 'idle';
    this.message = undefined;
    this.kernel = new KernelSession({
      gadget: this,
      storage: () => this.acquire(storageKey),
      onMessage: (message) => this.onMessage(message),
      onState: (state) => (this.kernelState = state),
      scope: 'snippet-kernel',
    });
    this.service(async (signal) => {
      await untilAborted(signal);
      this.kernel.close();
    });
  }

  private onMessage(message: JupyterMessage): void {
    if (parentMsgId(message) !== this.current) return;
    const output = outputDocument(message, { notebook: '', cell: 'snippet', sequence: this.outputs.length });
    if (output) this.outputs = [...this.outputs, output];
  }

  /** Runs the code in a fresh kernel (variables of an earlier run never leak into this one); resolves when it ends. */
  async run(code: string, language: CellLanguage): Promise<void> {
    this.message = undefined;
    this.outputs = [];
    try {
      await this.kernel.restart();
      const request = executeRequest(code, language, this.kernel.session);
      this.current = request.header.msg_id;
      const reply = await this.kernel.execute(request);
      if (reply.content.status === 'aborted') this.message = 'The run was stopped.';
    } catch (error) {
      this.message = messageOf(error);
    }
  }

  private async stop(): Promise<void> {
    await this.kernel.interrupt();
  }

  override render() {
    const busy = this.kernelState === 'busy' || this.kernelState === 'starting';
    if (this.outputs.length === 0 && !busy && !this.message) return nothing;
    return html`<section class="run" aria-label="Run output">
      <p class="state" role="status">
        ${busy ? html`Running… <button @click=${() => void this.stop()}>Stop</button>` : 'Finished'}
      </p>
      ${this.message ? html`<p class="error" role="alert">${this.message}</p>` : nothing}
      <div class="outputs" aria-live="polite">${this.outputs.map(renderOutput)}</div>
    </section>`;
  }

  static override styles = [
    pageStyles,
    css`
      .run { border: 1px solid var(--border, #c9d6da); border-radius: 6px; padding: 0.5rem; margin: 0.5rem 0; }
      .state { margin: 0; color: var(--muted, #4a5f66); display: flex; gap: 0.5rem; align-items: center; }
      .outputs pre { margin: 0.25rem 0; white-space: pre-wrap; word-break: break-word; font-size: 0.9rem; }
      .stream.stderr { color: #8a4b00; }
      .error-output { color: var(--danger, #a3201c); }
      .html-output { width: 100%; min-height: 6rem; border: 1px dashed var(--border, #c9d6da); background: #fff; }
      .image-output { max-width: 100%; }
      .array-output fs-graph { display: block; height: 16rem; }
      .table-output { border-collapse: collapse; font-size: 0.85rem; width: auto; }
      .table-output td, .table-output th { border: 1px solid var(--border, #c9d6da); padding: 0.1rem 0.4rem; }
    `,
  ];
}

customElements.define('fs-snippet-run', SnippetRun);

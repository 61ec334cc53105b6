// The page side of a notebook kernel: starts its worker (compute/kernel/kernel-worker.ts) as a worker gadget of the
// notebook gadget, from the kernel host page (whose policy lets the worker evaluate code; the app's pages never do),
// answers the kernel API's acquisitions from the app's storage, and interrupts or restarts it.
import type { Gadget, Remote } from '../../gadgets/core';
import { saveImageDocument, type Storage } from '../../storage';
import { appendSamples, arrayDocuments, channelCount, createDataArray, readEnvelope, readRange, sampleCount } from '../../storage/arrays';
import type { CellLanguage } from '../notebook/notebook-document';
import { planSignal } from '../signals/signal-plan';
import {
  KERNEL_ACQUISITIONS,
  kernelAppendArrayKey,
  kernelArrayDocumentKey,
  kernelArrayInfoKey,
  kernelCreateArrayKey,
  kernelDocumentsKey,
  kernelIopubKey,
  kernelReadArrayKey,
  kernelReadEnvelopeKey,
  kernelResolveSignalKey,
  kernelRuntimeFileKey,
  kernelSaveImageKey,
} from './kernel-keys';
import type { Kernel } from './kernel-worker';
import workerUrl from './kernel-worker.ts?worker&url';
import { makeMessage, type JupyterMessage } from './messages';

/** The page that starts the kernel's opaque worker, with a policy allowing eval (scripts/content-security-policy.mjs). */
const KERNEL_HOST = `${import.meta.env.BASE_URL}compute/kernel/kernel-host.html`;
/** Where the Python runtime's files are (scripts/pyodide-assets.mjs). */
const RUNTIME_FILES = `${import.meta.env.BASE_URL}pyodide/`;

/** Most rows a cell's `fieldscope.read` gets in one call: larger reads go chunk by chunk (`fieldscope.chunks`). */
export const MAX_READ = 1 << 22;

export type KernelState = 'starting' | 'idle' | 'busy' | 'dead';

/** The kernel could not start (its worker or host page failed): the message says what to check. */
export class KernelUnavailableError extends Error {
  override readonly name = 'KernelUnavailableError';
  readonly status = 503;
}

/** Told in the output of a cell stopped by Interrupt, or dropped by Restart. */
export const INTERRUPTED = {
  ename: 'KernelInterrupted',
  evalue: 'The cell was stopped: the kernel was restarted to stop it, so every variable of earlier cells is gone. Run the cells it needs again.',
} as const;

export interface KernelSessionOptions {
  /** Declares the worker and answers its acquisitions (as if it were in its tree). */
  gadget: Gadget;
  storage: () => Promise<Storage>;
  /** Every iopub message, in the order the kernel sent it; the kernel's reply waits for this to settle. */
  onMessage: (message: JupyterMessage) => void | Promise<void>;
  onState?: (state: KernelState) => void;
  scope?: string;
}

export function executeRequest(code: string, language: CellLanguage, session: string): JupyterMessage<'execute_request'> {
  const request = makeMessage('execute_request', { code, silent: false, store_history: true, user_expressions: {}, allow_stdin: false, stop_on_error: true }, { session, channel: 'shell' });
  request.metadata = { language };
  return request;
}

export class KernelSession {
  readonly session = crypto.randomUUID();
  private kernel: Promise<Remote<Kernel, 'execute'>> | undefined;
  private running = 0;
  /** Bumped by each interrupt/restart: replies of an older kernel are "aborted". */
  private generation = 0;
  private readonly scope: string;

  constructor(private readonly options: KernelSessionOptions) {
    this.scope = options.scope ?? 'kernel';
    const { gadget, storage } = options;
    const documents = arrayDocuments(storage);
    gadget.provide(kernelIopubKey, (_request, message) => options.onMessage(message));
    gadget.provide(kernelDocumentsKey, async ({ signal }, query, limit) => {
      const opened = await storage();
      const { rows } = await opened.allDocs({ ...(query ? { query } : {}), include_docs: true, limit: [0, Math.max(0, Math.min(Number(limit) || 100, 10_000))], signal });
      return rows.map((row) => ({ id: row.id, doc: row.doc ?? {} }));
    });
    gadget.provide(kernelArrayInfoKey, async ({ signal }, id) => {
      const [, doc] = await documents.read(String(id), Infinity, signal);
      return { id: String(id), title: doc.title, dtype: doc.dtype, length: sampleCount(doc), channels: channelCount(doc), sampling_rate: typeof doc.sampling_rate === 'number' ? doc.sampling_rate : undefined };
    });
    gadget.provide(kernelReadArrayKey, async ({ signal }, id, start, end) => {
      const from = Math.max(0, Math.floor(Number(start)));
      const to = Math.floor(Number(end));
      if (!(to >= from)) throw new RangeError(`read(${start}, ${end}): end must be at least start.`);
      if (to - from > MAX_READ) throw new RangeError(`read asks for ${to - from} rows: at most ${MAX_READ} at once. Walk the array with fieldscope.chunks(id) instead.`);
      const [opened, doc] = await documents.read(String(id), to, signal);
      // A copy: the storage's cache keeps its own buffers, and what crosses to the worker is transferred.
      return (await readRange(opened, doc, String(id), from, Math.min(to, sampleCount(doc)), { signal })).data.slice();
    });
    gadget.provide(kernelArrayDocumentKey, async ({ signal }, id) => (await documents.read(String(id), Infinity, signal))[1]);
    gadget.provide(kernelReadEnvelopeKey, async ({ signal }, id, start, end, width) => {
      const [opened, doc] = await documents.read(String(id), Number(end), signal);
      return readEnvelope(opened, doc, String(id), Number(start), Math.min(Number(end), sampleCount(doc)), Math.max(1, Math.min(Math.floor(Number(width)), 100_000)), { signal });
    });
    gadget.provide(kernelResolveSignalKey, async ({ signal }, name, experiment) => planSignal(await storage(), String(name), String(experiment), { signal }));
    gadget.provide(kernelSaveImageKey, async ({ signal }, image, title, source) => {
      if (!(image instanceof Blob) || !/^image\/(png|jpeg|gif|webp)$/.test(image.type)) throw new TypeError('saveImage takes a PNG, JPEG, GIF or WebP Blob (canvas.convertToBlob() gives a PNG).');
      return saveImageDocument(await storage(), { title: String(title || 'Notebook image'), image, ...(typeof source === 'string' ? { source } : {}) }, { signal });
    });
    gadget.provide(kernelRuntimeFileKey, async ({ signal }, name) => {
      if (!/^[\w.-]+$/.test(String(name))) throw new RangeError(`No runtime file is named ${JSON.stringify(name)}.`);
      const response = await fetch(`${RUNTIME_FILES}${String(name)}`, { signal });
      if (!response.ok) throw new Error(`${RUNTIME_FILES}${String(name)} answered ${response.status}`);
      return response.arrayBuffer();
    });
    gadget.provide(kernelCreateArrayKey, async ({ signal }, spec) => createDataArray(await storage(), spec, { signal }));
    gadget.provide(kernelAppendArrayKey, async ({ signal }, id, samples) => {
      documents.forget(String(id));
      return appendSamples(await storage(), String(id), samples, { signal });
    });
  }

  /** Starts the kernel (once; again after a restart). */
  start(): Promise<Remote<Kernel, 'execute'>> {
    if (!this.kernel) {
      this.options.onState?.('starting');
      const kernel = this.options.gadget
        .declareGadget<Remote<Kernel, 'execute'>>(workerUrl, { sandbox: 'worker', scope: this.scope, acquisitions: KERNEL_ACQUISITIONS, workerHost: KERNEL_HOST })
        .catch((error: unknown) => {
          this.options.onState?.('dead');
          if (this.kernel === kernel) this.kernel = undefined; // the next run tries again
          throw new KernelUnavailableError(`The notebook kernel did not start: ${error instanceof Error ? error.message : String(error)}. Reload the page; if it persists, the kernel host page (compute/kernel/kernel-host.html) is missing or its policy forbids data: workers.`, { cause: error });
        });
      this.kernel = kernel;
      void kernel.then(() => this.options.onState?.(this.running > 0 ? 'busy' : 'idle'), () => {});
    }
    return this.kernel;
  }

  /**
   * Runs one request. Resolves to the kernel's execute_reply; a request stopped by interrupt or restart resolves to
   * an `aborted` reply (its cell shows INTERRUPTED), never hangs.
   */
  async execute(request: JupyterMessage<'execute_request'>): Promise<JupyterMessage<'execute_reply'>> {
    const generation = this.generation;
    this.running += 1;
    this.options.onState?.('busy');
    try {
      const kernel = await this.start();
      return await kernel.execute(request);
    } catch (error) {
      if (generation === this.generation) throw error;
      return makeMessage('execute_reply', { status: 'aborted', execution_count: null }, { session: this.session, parent: request.header, channel: 'shell' });
    } finally {
      this.running -= 1;
      if (this.running === 0 && generation === this.generation) this.options.onState?.('idle');
    }
  }

  /** Stops the running cell, whatever it does (an endless loop too): the worker is terminated and a new one started. State is lost. */
  interrupt(): Promise<void> {
    return this.restart();
  }

  /** Drops the kernel (and its variables) and starts a fresh one; running and queued requests end `aborted`. */
  async restart(): Promise<void> {
    this.generation += 1;
    this.running = 0;
    this.close();
    await this.start();
  }

  close(): void {
    if (!this.kernel) return;
    this.kernel = undefined;
    try {
      this.options.gadget.dropGadget(this.scope);
    } catch {
      // never declared (its start failed): nothing to drop
    }
  }
}

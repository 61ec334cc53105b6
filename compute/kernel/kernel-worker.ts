// A notebook kernel: a worker gadget that speaks the Jupyter messaging protocol. Each execute_request runs the cell
// (compute/kernel/cell-code.ts) as an async function in this worker; what the cell prints, displays, returns or throws
// goes out as iopub messages (acquired by the declaring notebook gadget, which stores them), then the execute_reply
// is the call's answer. The worker's origin is opaque: the app's DOM, cookies and IndexedDB are out of reach, its only
// way to documents is the kernel API below, through the declaring gadget.
import { WorkerGadget, serveWorkerGadget } from '../../gadgets/core/worker';
import type { NewDataArray } from '../../storage/arrays';
import { isDType, typedArrayFor, type NumericArray } from '../../storage/arrays/dtypes';
import { timesliceStatistics, type ArraySource, type StatisticsParameters, type StatisticsResult } from '../statistics';
import { nextPowerOfTwo, powerSpectrum } from '../fft/real-fft';
import { WelchAccumulator, defaultSegment, type Spectrum, type SpectrumParams } from '../spectrum/welch';
import { sourceOfPlan } from '../signals/signal-plan';
import { cellBody } from './cell-code';
import { PythonCellError, PythonCells } from './python-cells';
import {
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
  type KernelArrayInfo,
} from './kernel-keys';
import { plotPng, type PlotOptions } from './plot-png';
import { makeMessage, type ContentOf, type ExecuteReplyContent, type JupyterMessage, type MessageHeader, type MessageType } from './messages';
import { arrayView, html, inspect, mimeBundleOf } from './reprs';

const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (body: string) => () => Promise<unknown>;

/** Samples per chunk when a cell walks an array without saying. */
const DEFAULT_CHUNK = 65_536;

export class Kernel extends WorkerGadget {
  static override declaredMethods = ['execute'];

  private readonly session = crypto.randomUUID();
  private executionCount = 0;
  /** The request whose cell runs now: prints and displays (also from timers it started) answer it. */
  private current: MessageHeader | undefined;
  /** Iopub messages not yet taken by the page: the reply waits for them, so outputs are stored before it. */
  private pending: Promise<unknown>[] = [];
  /** Requests run one after the other, in order, as a Jupyter kernel's shell channel does. */
  private queue: Promise<unknown> = Promise.resolve();
  private readonly python: PythonCells;

  constructor() {
    super();
    const api = this.installGlobals();
    this.python = new PythonCells({
      api,
      html,
      display: (value) => this.display(value),
      print: (name, text) => this.send('stream', { name, text }),
      file: (name) => this.acquire(kernelRuntimeFileKey, name),
    });
  }

  /** Runs the cell of an execute_request; resolves to its execute_reply once every output was taken. */
  execute(request: JupyterMessage<'execute_request'>): Promise<JupyterMessage<'execute_reply'>> {
    const run = this.queue.then(() => this.run(request));
    this.queue = run.catch(() => {});
    return run;
  }

  private send<T extends MessageType>(type: T, content: ContentOf[T], parent: MessageHeader | undefined = this.current): void {
    if (!parent) return;
    const message = makeMessage(type, content, { session: this.session, parent, channel: 'iopub' }) as JupyterMessage;
    this.pending.push(this.acquire(kernelIopubKey, message).catch(() => {}));
  }

  private async run(request: JupyterMessage<'execute_request'>): Promise<JupyterMessage<'execute_reply'>> {
    const parent = request.header;
    this.current = parent;
    this.send('status', { execution_state: 'busy' });
    const count = request.content.store_history && !request.content.silent ? ++this.executionCount : this.executionCount;
    this.send('execute_input', { code: request.content.code, execution_count: count });
    const language = request.metadata['language'] === 'typescript' ? 'typescript' : request.metadata['language'] === 'python' ? 'python' : 'javascript';
    let reply: ExecuteReplyContent;
    try {
      const value = language === 'python' ? await this.python.run(request.content.code) : await new AsyncFunction(cellBody(request.content.code, language, `cell-${count}`))();
      const data = await mimeBundleOf(value);
      if (data && !request.content.silent) this.send('execute_result', { execution_count: count, data, metadata: {} });
      reply = { status: 'ok', execution_count: count, user_expressions: {} };
    } catch (thrown) {
      const error = errorContent(thrown);
      this.send('error', error);
      reply = { status: 'error', execution_count: count, ...error };
    }
    this.send('status', { execution_state: 'idle' });
    const taken = this.pending;
    this.pending = [];
    await Promise.all(taken);
    return makeMessage('execute_reply', reply, { session: this.session, parent, channel: 'shell' });
  }

  private async display(value: unknown): Promise<void> {
    const parent = this.current;
    const data = await mimeBundleOf(value);
    if (data) this.send('display_data', { data, metadata: {} }, parent);
  }

  private print(name: 'stdout' | 'stderr', values: unknown[]): void {
    this.send('stream', { name, text: `${values.map((value) => inspect(value)).join(' ')}\n` });
  }

  /** The names a cell uses: display, html, console (to the notebook), and `fieldscope`, the kernel API. */
  private installGlobals(): ReturnType<Kernel['api']> {
    const scope = globalThis as unknown as Record<string, unknown>;
    const log = (...values: unknown[]) => this.print('stdout', values);
    const warn = (...values: unknown[]) => this.print('stderr', values);
    Object.assign(console, { log, info: log, debug: log, warn, error: warn });
    scope['display'] = (value: unknown) => this.display(value);
    scope['html'] = html;
    const api = this.api();
    scope['fieldscope'] = api;
    return api;
  }

  private api() {
    const info = (id: string): Promise<KernelArrayInfo> => this.acquire(kernelArrayInfoKey, id);
    const read = (id: string, start: number, end: number): Promise<NumericArray> => this.acquire(kernelReadArrayKey, id, start, end);
    /** Reads an array chunk by chunk (rows [start, end)), never all of it at once. */
    async function* chunks(id: string, { size = DEFAULT_CHUNK, start = 0, end }: { size?: number; start?: number; end?: number } = {}) {
      const { length } = await info(id);
      const last = Math.min(end ?? length, length);
      const step = Math.max(1, Math.floor(size));
      for (let at = Math.max(0, start); at < last; at += step) yield { start: at, samples: await read(id, at, Math.min(at + step, last)) };
    }
    return {
      /** Documents matching a query (jIO query language, e.g. `portal_type:="Data Array"`), at most `limit`. */
      documents: (query = '', limit = 100) => this.acquire(kernelDocumentsKey, query, limit),
      array: info,
      read,
      chunks,
      /** Creates a Data Array (with its first samples, if given: a typed array or a list of numbers); resolves to its id. */
      createArray: async (spec: NewDataArray, samples?: ArrayLike<number>) => {
        const id = await this.acquire(kernelCreateArrayKey, spec);
        if (samples && samples.length > 0) await this.acquire(kernelAppendArrayKey, id, samplesOf(spec.dtype, samples));
        return id;
      },
      append: async (id: string, samples: ArrayLike<number>) => this.acquire(kernelAppendArrayKey, id, samplesOf((await info(id)).dtype, samples)),
      /** The one-sided power spectrum |X(k)|² of a frame (zero-padded to a power of two). */
      fft: (frame: ArrayLike<number>) => {
        const padded = new Float64Array(nextPowerOfTwo(Math.max(2, frame.length)));
        padded.set(Array.from(frame));
        return powerSpectrum(padded);
      },
      /** Welch's spectrum of samples, or of an array read chunk by chunk (one channel: the first). */
      welch: async (source: string | ArrayLike<number>, params: SpectrumParams): Promise<Spectrum> => {
        if (typeof source !== 'string') {
          const accumulator = new WelchAccumulator(1, { ...params, segment: params.segment ?? defaultSegment(source.length) });
          accumulator.push(source);
          return accumulator.finish();
        }
        const { length, channels } = await info(source);
        const accumulator = new WelchAccumulator(1, { ...params, segment: params.segment ?? defaultSegment(length) });
        for await (const { samples } of chunks(source)) accumulator.push(channels === 1 ? samples : samples.filter((_, index) => index % channels === 0));
        return accumulator.finish();
      },
      /**
       * Statistics per timeslice of an array, out of core (the PyDash parameters: statistics, start_date, end_date,
       * timeslice, timeslice_is_static, time_zone); a bad parameter throws a named error that says what to fix.
       */
      statistics: async (id: string, parameters: StatisticsParameters): Promise<StatisticsResult> => {
        const source: ArraySource = {
          doc: await this.acquire(kernelArrayDocumentKey, id),
          read: (start, end) => read(id, start, end),
          envelope: (start, end, width) => this.acquire(kernelReadEnvelopeKey, id, start, end, width),
        };
        return timesliceStatistics(source, parameters);
      },
      /**
       * A named signal as calibrated for an experiment (`fieldscope.signal('Langmuir_I', experimentId)`), read like an
       * array: `read(start, end)` gives calibrated float64 values, `chunks()` walks it, `envelope`, `statistics` and
       * `welch` as for arrays; `binding` (or a derived signal's `formula`), `units`, `length` and `sampling_rate` say
       * what it is. Rejects with a
       * SignalResolveError saying which bindings exist, or which two overlap.
       */
      signal: async (name: string, experiment: string) => {
        const plan = await this.acquire(kernelResolveSignalKey, name, experiment);
        const source = sourceOfPlan(plan, (arrayId, doc) => ({
          doc,
          read: (start, end) => read(arrayId, start, end),
          envelope: (start, end, width) => this.acquire(kernelReadEnvelopeKey, arrayId, start, end, width),
        }));
        const length = source.doc.shape[0];
        async function* walk({ size = DEFAULT_CHUNK, start = 0, end }: { size?: number; start?: number; end?: number } = {}) {
          const last = Math.min(end ?? length, length);
          const step = Math.max(1, Math.floor(size));
          for (let at = Math.max(0, start); at < last; at += step) yield { start: at, samples: await source.read(at, Math.min(at + step, last)) };
        }
        return {
          name: plan.name,
          experiment: { id: plan.experimentId, name: plan.experimentName },
          /** How it is read: its binding and array, or a derived signal's formula and inputs. */
          plan,
          binding: plan.kind === 'bound' ? plan.binding : undefined,
          formula: plan.kind === 'derived' ? plan.formula : undefined,
          units: plan.units,
          length,
          sampling_rate: source.doc.sampling_rate,
          read: (start: number, end: number) => source.read(start, end),
          chunks: walk,
          envelope: (start: number, end: number, width: number) => source.envelope(start, end, width),
          statistics: (parameters: StatisticsParameters) => timesliceStatistics(source, parameters),
          welch: async (params: SpectrumParams) => {
            const accumulator = new WelchAccumulator(1, { ...params, segment: params.segment ?? defaultSegment(length) });
            for await (const { samples } of walk()) accumulator.push(samples);
            return accumulator.finish();
          },
        };
      },
      /** A PNG line plot of values (e.g. a spectrum's bins), to display or keep with saveImage. */
      plot: (values: ArrayLike<number>, options?: PlotOptions): Promise<Blob> => plotPng(values, options),
      /** Keeps a picture (a PNG/JPEG Blob, e.g. from plot or an OffscreenCanvas) as an Image document; resolves to its id. */
      saveImage: (image: Blob, title = 'Notebook image', source?: string): Promise<string> => this.acquire(kernelSaveImageKey, image, title, source),
      /** Shows a Data Array as the app's graph. */
      view: arrayView,
    };
  }
}

/**
 * Samples as the array's typed array: a copy, since buffers are transferred and the cell's own array must stay usable;
 * a list of numbers (as Python cells pass) is converted. A typed array of another type is left for the storage to refuse.
 */
function samplesOf(dtype: string, samples: ArrayLike<number>): NumericArray {
  if (ArrayBuffer.isView(samples)) return (samples as NumericArray).slice();
  const copy = new (typedArrayFor(isDType(dtype) ? dtype : 'float64'))(samples.length);
  copy.set(samples);
  return copy;
}

function errorContent(thrown: unknown): ContentOf['error'] {
  if (thrown instanceof PythonCellError) return { ename: thrown.name, evalue: thrown.message, traceback: thrown.traceback };
  if (thrown instanceof Error) {
    const stack = (thrown.stack ?? '').split('\n').filter((line) => line.trim() !== '');
    const head = `${thrown.name}: ${thrown.message}`;
    return { ename: thrown.name, evalue: thrown.message, traceback: stack[0] === head ? stack : [head, ...stack] };
  }
  return { ename: 'Error', evalue: inspect(thrown), traceback: [`Uncaught ${inspect(thrown)}`] };
}

serveWorkerGadget(Kernel);

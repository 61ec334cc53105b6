// A starting point for a headless gadget (heavy computation off the main thread): copy this file, rename the class.
// Declare it with its bundled URL: `import url from './my-worker.ts?worker&url'`, then
// `declareGadget<Remote<MyWorker>>(url, { sandbox: 'worker', scope: 'compute', acquisitions: ['notify'] })`.
import { WorkerGadget, acquisitionKey, serveWorkerGadget, throwIfAborted } from '../worker';

/** Acquired from the declaring gadget, which must allow it (keys match by name: the app shell's `notify`). */
const notifyKey = acquisitionKey<[message: string, kind?: 'info' | 'error'], void>('notify');

/** Sums and scales samples: declared methods, a transferred buffer, cancellation and an acquisition. */
class TemplateWorker extends WorkerGadget {
  static override declaredMethods = ['sum', 'scale'];

  /** The caller's typed array arrives transferred (not copied); its `signal` stops a long run between blocks. */
  sum(values: Float64Array, { signal }: { signal?: AbortSignal } = {}): number {
    let total = 0;
    for (let start = 0; start < values.length; start += 65_536) {
      throwIfAborted(signal);
      for (let i = start; i < Math.min(values.length, start + 65_536); i++) total += values[i]!;
    }
    return total;
  }

  /** Scales in place and sends the same buffer back; says so through the declaring gadget. */
  async scale(values: Float64Array, factor: number): Promise<Float64Array> {
    for (let i = 0; i < values.length; i++) values[i]! *= factor;
    await this.acquire(notifyKey, `scaled ${values.length} values by ${factor}`).catch(() => {}); // notify is optional
    return values;
  }
}

serveWorkerGadget(TemplateWorker);

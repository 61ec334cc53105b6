import type { Spectrum, SpectrumParams } from '../spectrum/welch';
import type { SpectrumRequest, SpectrumResponse } from './spectrum-protocol';

/**
 * Welch's method in a module worker, fed chunk by chunk: the page stays responsive whatever the array's size.
 * Aborting `signal` terminates the worker at once (the computation stops; nothing is returned).
 */
export class SpectrumWorker {
  private readonly worker = new Worker(new URL('./spectrum-worker.ts', import.meta.url), { type: 'module' });
  private readonly result: Promise<Spectrum>;
  private readonly onAbort = () => this.worker.terminate();

  constructor(
    channels: number,
    params: SpectrumParams & { segment: number },
    private readonly signal?: AbortSignal,
  ) {
    this.result = new Promise<Spectrum>((resolve, reject) => {
      this.worker.onmessage = (event: MessageEvent<SpectrumResponse>) => {
        const message = event.data;
        if (message.type === 'result') resolve(message.spectrum);
        else reject(Object.assign(new Error(message.message), { name: message.name }));
        this.close();
      };
      this.worker.onerror = (event) => {
        reject(new Error(`The spectrum worker failed: ${event.message}`));
        this.close();
      };
      signal?.addEventListener('abort', () => reject(signal.reason ?? new DOMException('Aborted', 'AbortError')), { once: true });
    });
    this.result.catch(() => {});
    signal?.addEventListener('abort', this.onAbort, { once: true });
    this.send({ type: 'start', channels, params });
  }

  /** Sends a chunk of interleaved samples; its buffer moves to the worker (do not use it afterwards). */
  push(samples: Float32Array | Float64Array): void {
    this.send({ type: 'chunk', samples }, [samples.buffer as ArrayBuffer]);
  }

  finish(): Promise<Spectrum> {
    this.send({ type: 'finish' });
    return this.result;
  }

  private send(message: SpectrumRequest, transfer: Transferable[] = []): void {
    if (!this.signal?.aborted) this.worker.postMessage(message, transfer);
  }

  private close(): void {
    this.signal?.removeEventListener('abort', this.onAbort);
    this.worker.terminate();
  }
}

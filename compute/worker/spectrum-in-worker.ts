import type { Spectrum, SpectrumParams, WelchPartial } from '../spectrum/welch';
import type { SpectrumRequest, SpectrumResponse } from './spectrum-protocol';

/** Chunks sent and not yet transformed: enough to keep the worker busy, few enough that memory stays bounded. */
const IN_FLIGHT = 2;

/**
 * Welch's method in a module worker, fed chunk by chunk: the page stays responsive whatever the array's size, and
 * `push` waits while the worker is behind, so a fast read never piles a whole array up in the worker's queue.
 * Aborting `signal` terminates the worker at once (the computation stops; nothing is returned).
 */
export class SpectrumWorker {
  private readonly worker = new Worker(new URL('./spectrum-worker.ts', import.meta.url), { type: 'module' });
  /** The answer awaited now (a spectrum or a partial), if any. */
  private answer: { resolve: (message: SpectrumResponse) => void } | undefined;
  private failure: Error | undefined;
  private readonly failed: Promise<never>;
  private fail: (error: Error) => void = () => {};
  private inFlight = 0;
  private wakeSender: (() => void) | undefined;
  private readonly onAbort = () => {
    this.worker.terminate();
    this.fail(this.signal?.reason instanceof Error ? this.signal.reason : new DOMException('Aborted', 'AbortError'));
  };

  constructor(
    channels: number,
    params: SpectrumParams & { segment: number },
    private readonly signal?: AbortSignal,
  ) {
    this.failed = new Promise<never>((_, reject) => {
      this.fail = (error) => {
        this.failure ??= error;
        reject(this.failure);
        this.wakeSender?.();
      };
    });
    this.failed.catch(() => {});
    this.worker.onmessage = (event: MessageEvent<SpectrumResponse>) => {
      const message = event.data;
      if (message.type === 'taken') {
        this.inFlight -= 1;
        this.wakeSender?.();
      } else if (message.type === 'error') {
        this.fail(Object.assign(new Error(message.message), { name: message.name }));
        this.close();
      } else {
        this.answer?.resolve(message);
      }
    };
    this.worker.onerror = (event) => {
      this.fail(new Error(`The spectrum worker failed: ${event.message}`));
      this.close();
    };
    if (signal?.aborted) this.onAbort();
    signal?.addEventListener('abort', this.onAbort, { once: true });
    this.send({ type: 'start', channels, params });
  }

  /**
   * Sends a chunk of interleaved samples; its buffer moves to the worker (do not use it afterwards). Resolves once the
   * worker has room for the next one; rejects if it failed or was aborted.
   */
  async push(samples: Float32Array | Float64Array): Promise<void> {
    if (this.failure) throw this.failure;
    this.inFlight += 1;
    this.send({ type: 'chunk', samples }, [samples.buffer as ArrayBuffer]);
    while (this.inFlight >= IN_FLIGHT && !this.failure) await new Promise<void>((resolve) => (this.wakeSender = resolve));
    if (this.failure) throw this.failure;
  }

  /** The spectrum of every chunk pushed; the worker ends. */
  async finish(): Promise<Spectrum> {
    const message = await this.ask({ type: 'finish' });
    this.close();
    if (message.type !== 'result') throw new Error(`The spectrum worker answered ${message.type}, not a result.`);
    return message.spectrum;
  }

  /** The sums of the chunks pushed (this worker's part of a signal); the worker ends. */
  async partial(): Promise<WelchPartial> {
    const message = await this.ask({ type: 'partial' });
    this.close();
    if (message.type !== 'partial') throw new Error(`The spectrum worker answered ${message.type}, not its sums.`);
    return message.partial;
  }

  private ask(request: SpectrumRequest): Promise<SpectrumResponse> {
    const answered = new Promise<SpectrumResponse>((resolve) => (this.answer = { resolve }));
    this.send(request);
    return Promise.race([answered, this.failed]);
  }

  private send(message: SpectrumRequest, transfer: Transferable[] = []): void {
    if (!this.failure) this.worker.postMessage(message, transfer);
  }

  private close(): void {
    this.signal?.removeEventListener('abort', this.onAbort);
    this.worker.terminate();
  }
}

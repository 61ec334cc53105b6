import type { Storage } from '../../storage';
import { clearOutputs, saveOutput, type OutputDocument } from './output-document';

/**
 * Stores a notebook's outputs behind the kernel (write-behind): `save` starts the write and returns at once, so the
 * kernel's next message never waits for IndexedDB. The writes are issued in the order of `save` calls; IndexedDB
 * queues them and commits them back to back, which is what lifts trivial cells from one commit round trip each
 * (~3.5 ms) to the kernel's own pace. Whatever reads outputs back from storage (clearing, export) calls `flush` first.
 * A write that fails is reported through `onError`; the output is still shown, and the next run writes afresh.
 */
export class OutputWriter {
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly storage: () => Promise<Storage>,
    private readonly onError: (error: unknown) => void = () => {},
  ) {}

  save(output: OutputDocument): void {
    const write: Promise<void> = this.storage()
      .then((storage) => saveOutput(storage, output))
      .catch(this.onError)
      .finally(() => this.pending.delete(write));
    this.pending.add(write);
  }

  /** Resolves when every output saved so far is stored (or has failed and been reported). */
  async flush(): Promise<void> {
    while (this.pending.size > 0) await Promise.all(this.pending);
  }

  /** Clears outputs (of a notebook, or one of its cells) once the writes still on their way have landed. */
  async clear(notebookId: string, options: { cell?: string; signal?: AbortSignal } = {}): Promise<number> {
    await this.flush();
    return clearOutputs(await this.storage(), notebookId, options);
  }
}

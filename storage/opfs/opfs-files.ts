import { StorageError } from '../storage-error';
import type { OpfsFileInfo, OpfsMessage, OpfsReply, OpfsRequest } from './opfs-protocol';

/**
 * Files in the Origin Private File System, through the dedicated worker of this context (opfs.worker.ts). Every
 * write is flushed before it resolves. A failure rejects with a DOMException-like Error keeping the worker's name
 * (NotFoundError for a missing file, QuotaExceededError for a full disk).
 */
export class OpfsFiles {
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  private next = 0;

  constructor() {
    this.worker = new Worker(new URL('./opfs.worker.ts', import.meta.url), { type: 'module', name: 'fieldscope-opfs' });
    this.worker.onmessage = ({ data }: MessageEvent<OpfsReply>) => {
      const waiting = this.pending.get(data.id);
      this.pending.delete(data.id);
      if (!waiting) return;
      if (data.ok) waiting.resolve(data.value);
      else waiting.reject(Object.assign(new Error(data.message), { name: data.name }));
    };
    this.worker.onerror = (event) => {
      event.preventDefault();
      for (const waiting of this.pending.values()) waiting.reject(new Error(`The file worker failed: ${event.message}`));
      this.pending.clear();
    };
  }

  /** Writes `data` at byte `at` of `file` (created when missing); resolves once flushed to disk. */
  write(dir: string, file: string, at: number, data: Uint8Array | Blob): Promise<number> {
    return this.ask({ op: 'write', dir, file, at, data }) as Promise<number>;
  }

  /** As `write`, handing the bytes' buffer over to the worker (the caller must not use it afterwards). */
  writeTransferring(dir: string, file: string, at: number, data: Uint8Array<ArrayBuffer>): Promise<number> {
    return this.ask({ op: 'write', dir, file, at, data }, [data.buffer]) as Promise<number>;
  }

  read(dir: string, file: string, at: number, length: number): Promise<ArrayBuffer> {
    return this.ask({ op: 'read', dir, file, at, length }) as Promise<ArrayBuffer>;
  }

  truncate(dir: string, file: string, size: number): Promise<void> {
    return this.ask({ op: 'truncate', dir, file, size }) as Promise<void>;
  }

  remove(dir: string, files: string[]): Promise<void> {
    return files.length === 0 ? Promise.resolve() : (this.ask({ op: 'remove', dir, files }) as Promise<void>);
  }

  list(dir: string): Promise<OpfsFileInfo[]> {
    return this.ask({ op: 'list', dir }) as Promise<OpfsFileInfo[]>;
  }

  probe(): Promise<boolean> {
    return this.ask({ op: 'probe' }) as Promise<boolean>;
  }

  private ask(request: OpfsRequest, transfer: Transferable[] = []): Promise<unknown> {
    const id = (this.next += 1);
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...request, id } satisfies OpfsMessage, transfer);
    });
  }
}

/** Where this context keeps attachment bytes, and why when it is not OPFS. */
export interface BytesStoreInUse {
  kind: 'opfs' | 'indexeddb';
  /** Why OPFS is not used (missing API, a refusal of the browser). */
  reason?: string;
}

let detected: Promise<{ files?: OpfsFiles; inUse: BytesStoreInUse }> | undefined;

/**
 * Detects once per context whether OPFS sync access handles work (a probe file in the worker): the files client, or
 * why not. Private windows, older browsers and Node have no sync access handles; the storage then keeps bytes in
 * IndexedDB chunks.
 */
export function detectOpfs(): Promise<{ files?: OpfsFiles; inUse: BytesStoreInUse }> {
  detected ??= (async () => {
    if (typeof Worker === 'undefined' || typeof navigator === 'undefined' || typeof navigator.storage?.getDirectory !== 'function') {
      return { inUse: { kind: 'indexeddb', reason: 'this browser has no Origin Private File System' } };
    }
    try {
      const files = new OpfsFiles();
      if (await files.probe()) return { files, inUse: { kind: 'opfs' } };
      return { inUse: { kind: 'indexeddb', reason: 'this browser has no sync access handles on its private files' } };
    } catch (error) {
      return { inUse: { kind: 'indexeddb', reason: `the private file system refused: ${(error as Error).message}` } };
    }
  })();
  return detected;
}

/** The files client, or a 500 saying the attachment's bytes are out of reach (held in OPFS, which is missing here). */
export async function requireOpfs(): Promise<OpfsFiles> {
  const { files, inUse } = await detectOpfs();
  if (!files) throw new StorageError(500, `This attachment's bytes are in the private file system, which this browser context cannot reach (${inUse.reason}).`);
  return files;
}

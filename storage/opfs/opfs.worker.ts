// The one thread of this context that touches the Origin Private File System: sync access handles exist in dedicated
// workers only, and they read and write without copies through Blobs or promises per call (see opfs-files.ts).
import type { OpfsFileInfo, OpfsMessage, OpfsReply, OpfsRequest } from './opfs-protocol';

/** What a sync access handle offers (the DOM library's types leave it out: it exists in workers only). */
interface SyncAccessHandle {
  read(buffer: Uint8Array, options: { at: number }): number;
  write(buffer: Uint8Array, options: { at: number }): number;
  truncate(size: number): void;
  getSize(): number;
  flush(): void;
  close(): void;
}
type SyncFileHandle = FileSystemFileHandle & { createSyncAccessHandle(options?: { mode: string }): Promise<SyncAccessHandle> };

const ROOT = 'fieldscope-bytes';
/** Open handles kept for the next call on the same file (opening costs a round trip to the browser process). */
const OPEN_LIMIT = 32;
const open = new Map<string, SyncAccessHandle>();
const folders = new Map<string, Promise<FileSystemDirectoryHandle>>();

function folder(dir: string): Promise<FileSystemDirectoryHandle> {
  let found = folders.get(dir);
  if (!found) {
    found = navigator.storage.getDirectory().then(async (root) => (await root.getDirectoryHandle(ROOT, { create: true })).getDirectoryHandle(dir, { create: true }));
    folders.set(dir, found);
    found.catch(() => folders.delete(dir));
  }
  return found;
}

/**
 * An open handle on the file. 'readwrite-unsafe' lets the page's worker and an import worker's hold handles on the
 * same file at once: the storage itself orders writers (Web Locks) and readers never read past committed bytes.
 */
async function handle(dir: string, file: string, create: boolean): Promise<SyncAccessHandle> {
  const key = `${dir}/${file}`;
  const cached = open.get(key);
  if (cached) {
    open.delete(key); // re-inserted last: the map's order is the least recently used first
    open.set(key, cached);
    return cached;
  }
  const fileHandle = (await (await folder(dir)).getFileHandle(file, { create })) as SyncFileHandle;
  const opened = await fileHandle.createSyncAccessHandle({ mode: 'readwrite-unsafe' });
  open.set(key, opened);
  for (const [oldest, stale] of open) {
    if (open.size <= OPEN_LIMIT) break;
    stale.close();
    open.delete(oldest);
  }
  return opened;
}

function close(dir: string, file: string): void {
  const key = `${dir}/${file}`;
  open.get(key)?.close();
  open.delete(key);
}

async function write(dir: string, file: string, at: number, data: Uint8Array | Blob): Promise<number> {
  const target = await handle(dir, file, true);
  let offset = at;
  if (data instanceof Blob) {
    // A large file put whole: read piece by piece, never all in memory.
    const reader = data.stream().getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      offset += writeAll(target, value, offset);
    }
  } else {
    offset += writeAll(target, data, offset);
  }
  target.flush(); // on disk before the metadata that makes the bytes visible is committed
  return offset - at;
}

function writeAll(target: SyncAccessHandle, bytes: Uint8Array, at: number): number {
  let written = 0;
  while (written < bytes.length) written += target.write(bytes.subarray(written), { at: at + written });
  return written;
}

async function read(dir: string, file: string, at: number, length: number): Promise<ArrayBuffer> {
  const source = await handle(dir, file, false);
  const size = Math.max(0, Math.min(length, source.getSize() - at));
  const bytes = new Uint8Array(size);
  let done = 0;
  while (done < size) {
    const count = source.read(bytes.subarray(done), { at: at + done });
    if (count === 0) break;
    done += count;
  }
  return done === size ? bytes.buffer : bytes.slice(0, done).buffer;
}

async function list(dir: string): Promise<OpfsFileInfo[]> {
  const files: OpfsFileInfo[] = [];
  const entries = (await folder(dir)) as FileSystemDirectoryHandle & { values(): AsyncIterable<FileSystemHandle> };
  for await (const entry of entries.values()) {
    if (entry.kind !== 'file') continue;
    const cached = open.get(`${dir}/${entry.name}`);
    files.push({ file: entry.name, size: cached ? cached.getSize() : (await (entry as FileSystemFileHandle).getFile()).size });
  }
  return files;
}

async function remove(dir: string, files: string[]): Promise<void> {
  const parent = await folder(dir);
  for (const file of files) {
    close(dir, file);
    try {
      await parent.removeEntry(file);
    } catch (error) {
      if ((error as DOMException).name !== 'NotFoundError') throw error;
    }
  }
}

async function probe(): Promise<boolean> {
  const dir = await folder('probe');
  const file = (await dir.getFileHandle('probe', { create: true })) as SyncFileHandle;
  if (typeof file.createSyncAccessHandle !== 'function') return false;
  const opened = await file.createSyncAccessHandle({ mode: 'readwrite-unsafe' });
  opened.close();
  await dir.removeEntry('probe');
  return true;
}

async function answer(request: OpfsRequest): Promise<{ value: unknown; transfer: Transferable[] }> {
  switch (request.op) {
    case 'probe':
      return { value: await probe(), transfer: [] };
    case 'write':
      return { value: await write(request.dir, request.file, request.at, request.data), transfer: [] };
    case 'read': {
      const bytes = await read(request.dir, request.file, request.at, request.length);
      return { value: bytes, transfer: [bytes] };
    }
    case 'truncate': {
      const target = await handle(request.dir, request.file, false);
      target.truncate(request.size);
      target.flush();
      return { value: undefined, transfer: [] };
    }
    case 'remove':
      return { value: await remove(request.dir, request.files), transfer: [] };
    case 'list':
      return { value: await list(request.dir), transfer: [] };
  }
}

self.onmessage = async ({ data }: MessageEvent<OpfsMessage>) => {
  let reply: OpfsReply;
  let transfer: Transferable[] = [];
  try {
    const answered = await answer(data);
    reply = { id: data.id, ok: true, value: answered.value };
    transfer = answered.transfer;
  } catch (error) {
    const { name, message } = error instanceof Error ? error : new Error(String(error));
    reply = { id: data.id, ok: false, name, message };
  }
  (self as unknown as Worker).postMessage(reply, transfer);
};

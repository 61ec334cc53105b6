// The anchor for OPFS (bench:fft): a file's bytes, read as the import reads them (file.stream()), written in 1 MiB
// pieces to one Origin Private File System file through a sync access handle, then read back 8 MiB at a time (as
// Welch reads) — what an OPFS chunk store could do at best. Sync access handles exist in dedicated workers only.

interface RawOpfsRequest {
  file: File;
  name: string;
}

const MiB = 1024 * 1024;

/** What a sync access handle offers (the DOM library's types leave it out: it exists in workers only). */
interface SyncAccessHandle {
  write(buffer: Uint8Array, options: { at: number }): number;
  read(buffer: Uint8Array, options: { at: number }): number;
  flush(): void;
  close(): void;
}

self.onmessage = async ({ data: { file, name } }: MessageEvent<RawOpfsRequest>) => {
  try {
    const root = await navigator.storage.getDirectory();
    const fileHandle = (await root.getFileHandle(name, { create: true })) as FileSystemFileHandle & { createSyncAccessHandle(): Promise<SyncAccessHandle> };
    const handle = await fileHandle.createSyncAccessHandle();
    try {
      const writeStarted = performance.now();
      const reader = file.stream().getReader();
      const piece = new Uint8Array(MiB);
      let filled = 0;
      let at = 0;
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        for (let offset = 0; offset < value.length; ) {
          const take = Math.min(MiB - filled, value.length - offset);
          piece.set(value.subarray(offset, offset + take), filled);
          filled += take;
          offset += take;
          if (filled === MiB) {
            at += handle.write(piece, { at });
            filled = 0;
          }
        }
      }
      if (filled > 0) at += handle.write(piece.subarray(0, filled), { at });
      handle.flush();
      const writeMs = performance.now() - writeStarted;
      const readStarted = performance.now();
      const buffer = new Uint8Array(8 * MiB);
      for (let offset = 0; offset < at; offset += buffer.length) handle.read(buffer, { at: offset });
      const readMs = performance.now() - readStarted;
      self.postMessage({ writeMs, readMs, bytes: at });
    } finally {
      handle.close();
      await root.removeEntry(name);
    }
  } catch (error) {
    self.postMessage({ error: String(error) });
  }
};

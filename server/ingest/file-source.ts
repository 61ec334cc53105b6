import { open, readdir, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import type { PosFile } from './pos-file';
import type { Send } from './send';

export interface FileSourceOptions {
  /** The file, or the folder whose files (not dot files, in name order) are sent. */
  path: string;
  pos: PosFile;
  /** How far each source is on the server (from the stream), used for a file the position file does not know. */
  onServer: Record<string, number>;
  /** Prefix of the source keys (`<id>:<inode>`): tells apart machines sending to one stream. */
  sourceId: string;
  /** Most bytes sent per piece. */
  pieceBytes: (most: number) => number;
  maxPieceBytes: number;
  /** Keep watching for growth and new files (tail -F) until `signal` aborts; else stop at the end of what is there. */
  follow: boolean;
  pollMs: number;
  signal: AbortSignal;
  onWarning: (message: string) => void;
  /** Bytes the inputs hold in all (known when not following), for progress. */
  onTotal?: (bytes: number) => void;
}

/**
 * Sends a file or the files of a folder, each from its confirmed position on: a file is known by its inode, so one
 * renamed by log rotation (`app.log` → `app.log.1`) goes on where it was and the new `app.log` starts at 0. Following,
 * the files are looked at again every `pollMs`.
 */
export async function sendFiles(options: FileSourceOptions, send: Send): Promise<void> {
  const { signal } = options;
  for (;;) {
    const files = await listFiles(options.path, options.pos.path);
    if (!options.follow) options.onTotal?.((await Promise.all(files.map((file) => stat(file)))).reduce((sum, info) => sum + info.size, 0));
    for (const file of files) {
      signal.throwIfAborted();
      await sendFile(file, options, send);
    }
    if (!options.follow) return;
    await new Promise<void>((done) => {
      const timer = setTimeout(finish, options.pollMs);
      function finish() {
        clearTimeout(timer);
        signal.removeEventListener('abort', finish);
        done();
      }
      signal.addEventListener('abort', finish, { once: true });
    });
    if (signal.aborted) return;
  }
}

async function sendFile(file: string, options: FileSourceOptions, send: Send): Promise<void> {
  const handle = await open(file, 'r');
  try {
    const info = await handle.stat();
    const key = `${options.sourceId}:${info.ino}`;
    let at = options.pos.get(info.ino)?.offset ?? options.onServer[key] ?? 0;
    if (info.size < at) {
      options.onWarning(`${file} is shorter than the ${at} bytes already sent (truncated in place?): only bytes past ${at} will be sent.`);
      return;
    }
    const buffer = new Uint8Array(options.maxPieceBytes);
    // The size read once: a file still growing is sent up to here, the rest at the next look.
    while (at < info.size) {
      options.signal.throwIfAborted();
      const wanted = Math.min(options.pieceBytes(options.maxPieceBytes), info.size - at);
      const { bytesRead } = await handle.read(buffer, 0, wanted, at);
      if (bytesRead === 0) break;
      const next = await send(key, at, buffer.slice(0, bytesRead));
      await options.pos.set({ path: resolve(file), inode: info.ino, offset: next });
      at = next;
    }
  } finally {
    await handle.close();
  }
}

async function listFiles(path: string, posPath: string): Promise<string[]> {
  const info = await stat(path);
  if (!info.isDirectory()) return [path];
  const names = (await readdir(path, { withFileTypes: true })).filter((entry) => entry.isFile() && !entry.name.startsWith('.')).map((entry) => entry.name);
  return names
    .sort()
    .map((name) => join(path, name))
    .filter((file) => resolve(file) !== resolve(posPath) && !basename(file).startsWith(`${basename(posPath)}.`));
}

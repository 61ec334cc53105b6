/** What the page side asks the OPFS worker (opfs.worker.ts); every request names a folder of the private file system. */
export type OpfsRequest =
  /** Whether sync access handles work here (creates, opens and removes a probe file). */
  | { op: 'probe' }
  /** Writes `data` at byte `at` of the file (creating it), then flushes: the bytes are on disk when it answers. */
  | { op: 'write'; dir: string; file: string; at: number; data: Uint8Array | Blob }
  /** Bytes [at, at + length) of the file (fewer at its end), as a transferred ArrayBuffer. */
  | { op: 'read'; dir: string; file: string; at: number; length: number }
  /** Cuts the file to `size` bytes and flushes. */
  | { op: 'truncate'; dir: string; file: string; size: number }
  /** Removes the files; missing ones are no error. */
  | { op: 'remove'; dir: string; files: string[] }
  /** The folder's files with their sizes. */
  | { op: 'list'; dir: string };

export interface OpfsFileInfo {
  file: string;
  size: number;
}

export type OpfsReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; name: string; message: string };

/** The request with the id its reply carries. */
export type OpfsMessage = OpfsRequest & { id: number };

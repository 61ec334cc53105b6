import type { ImportResult } from './import-file';
import type { RawFormat } from './raw-decoder';

/** To the import worker: the file to import (a File crosses to a worker without its bytes being read), or cancel it. */
export type ImportWorkerRequest = { type: 'import'; file: File; rawFormat?: RawFormat } | { type: 'cancel' };

/** From the import worker: progress, then the result or the error (its name and message kept). */
export type ImportWorkerMessage =
  | { type: 'progress'; fraction: number }
  | { type: 'done'; result: ImportResult }
  | { type: 'failed'; name: string; message: string };

import { StorageError } from './storage-error';
import type { AttachmentData, AttachmentFormat, AttachmentInput } from './types';

const DEFAULT_TYPE = 'application/octet-stream';

/** Any accepted attachment input as a Blob; the type is `contentType`, else the Blob's own, else octet-stream. */
export function toBlob(data: AttachmentInput, contentType?: string): Blob {
  if (data instanceof Blob) {
    const type = contentType ?? (data.type || DEFAULT_TYPE);
    return data.type === type ? data : new Blob([data], { type });
  }
  if (typeof data === 'string') return new Blob([data], { type: contentType ?? 'text/plain;charset=utf-8' });
  const bytes = data instanceof ArrayBuffer ? new Uint8Array(data) : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return new Blob([bytes.slice()], { type: contentType ?? DEFAULT_TYPE });
}

/**
 * Checks a byte range against an attachment's size: negative or non-integer offsets and start > end are 400;
 * `end` beyond the size is clamped, so a range past the end reads what exists (possibly nothing).
 */
export function checkRange(start: number | undefined, end: number | undefined, size: number): { start: number; end: number } {
  const from = start ?? 0;
  const to = end ?? size;
  for (const [name, value] of [['start', from], ['end', to]] as const) {
    if (!Number.isInteger(value) || value < 0) {
      throw new StorageError(400, `Attachment range ${name} must be a whole number ≥ 0, not ${value}.`, { [name]: value });
    }
  }
  if (from > to) throw new StorageError(400, `Attachment range start (${from}) is after its end (${to}).`, { start: from, end: to });
  return { start: Math.min(from, size), end: Math.min(to, size) };
}

/** Bytes in the asked format ('blob' by default), without a Blob round trip for the other formats. */
export function bytesAs<F extends AttachmentFormat>(bytes: ArrayBuffer, type: string, format: F | undefined): Promise<AttachmentData<F>> {
  switch (format ?? 'blob') {
    case 'arraybuffer':
      return Promise.resolve(bytes as AttachmentData<F>);
    case 'text':
      return Promise.resolve(new TextDecoder().decode(bytes) as AttachmentData<F>);
    case 'json':
      return Promise.resolve(parseJson(new TextDecoder().decode(bytes)) as AttachmentData<F>);
    default:
      return readAs(new Blob([bytes], { type }), format);
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new StorageError(400, `The attachment is not valid JSON: ${(error as Error).message}`, {}, { cause: error });
  }
}

/** Reads a Blob in the asked format ('blob' by default); 'json' that is not JSON is a 400. */
export async function readAs<F extends AttachmentFormat>(blob: Blob, format: F | undefined): Promise<AttachmentData<F>> {
  switch (format ?? 'blob') {
    case 'blob':
      return blob as AttachmentData<F>;
    case 'arraybuffer':
      return (await blob.arrayBuffer()) as AttachmentData<F>;
    case 'text':
      return (await blob.text()) as AttachmentData<F>;
    case 'json':
      return parseJson(await blob.text()) as AttachmentData<F>;
    default:
      throw new StorageError(400, `Unknown attachment format "${String(format)}": use blob, arraybuffer, text or json.`);
  }
}

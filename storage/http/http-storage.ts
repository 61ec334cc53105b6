import { Observable } from 'rxjs';
import { checkRange, readAs } from '../attachment-data';
import { checkId, notFound, throwIfAborted, unsupported } from '../checks';
import { StorageError, type StorageStatus } from '../storage-error';
import type {
  AllDocsResult,
  AttachmentData,
  AttachmentFormat,
  AttachmentInfo,
  CallOptions,
  Capability,
  Change,
  Doc,
  GetAttachmentOptions,
  Storage,
} from '../types';

/** The one attachment an HTTP file has: its bytes. */
export const HTTP_ATTACHMENT = 'data';

/**
 * Read-only storage over static files: a document id is a path under `baseUrl`, its only attachment ('data') is the
 * file's bytes, read by range with HTTP Range requests — any static server or object store will do, and only the bytes
 * asked for travel (when the server ignores Range, the answer is cut here, at the cost of the whole download).
 * `get` gives `{url, size, content_type}` from a HEAD request. Writes, listing and changes are 501.
 */
export class HttpStorage implements Storage {
  private readonly baseUrl: URL;

  constructor(baseUrl: string | URL) {
    this.baseUrl = new URL(baseUrl);
  }

  hasCapacity(name: Capability): boolean {
    return name === 'range';
  }

  async get(id: string, { signal }: CallOptions = {}): Promise<Doc> {
    const head = await this.head(id, signal);
    return { url: this.url(id).href, size: head.length, content_type: head.contentType };
  }

  async allAttachments(id: string, { signal }: CallOptions = {}): Promise<Record<string, AttachmentInfo>> {
    const head = await this.head(id, signal);
    return { [HTTP_ATTACHMENT]: head };
  }

  async getAttachment<F extends AttachmentFormat = 'blob'>(
    id: string,
    name: string,
    { start, end, format, signal }: GetAttachmentOptions<F> = {},
  ): Promise<AttachmentData<F>> {
    throwIfAborted(signal);
    checkId(id);
    if (name !== HTTP_ATTACHMENT) throw notFound(id, name);
    checkRange(start, end ?? Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER); // argument checks before any request
    const from = start ?? 0;
    if (end !== undefined && end <= from) return readAs(new Blob([]), format);
    const headers: Record<string, string> = {};
    if (from > 0 || end !== undefined) headers['range'] = `bytes=${from}-${end === undefined ? '' : end - 1}`;
    const response = await this.fetch(id, { headers, ...(signal ? { signal } : {}) });
    if (response.status === 416) return readAs(new Blob([]), format); // the range starts past the end
    const blob = await response.blob();
    if (response.status === 206) return readAs(blob, format);
    // 200: the server sent everything.
    const range = checkRange(start, end, blob.size);
    return readAs(blob.slice(range.start, range.end, blob.type), format);
  }

  private async head(id: string, signal: AbortSignal | undefined): Promise<AttachmentInfo> {
    throwIfAborted(signal);
    checkId(id);
    const response = await this.fetch(id, { method: 'HEAD', ...(signal ? { signal } : {}) });
    return {
      length: Number(response.headers.get('content-length') ?? 0),
      contentType: response.headers.get('content-type') ?? 'application/octet-stream',
    };
  }

  private url(id: string): URL {
    return new URL(id.split('/').map(encodeURIComponent).join('/'), this.baseUrl);
  }

  private async fetch(id: string, init: RequestInit): Promise<Response> {
    let response: Response;
    try {
      response = await fetch(this.url(id), init);
    } catch (error) {
      throwIfAborted(init.signal ?? undefined);
      throw new StorageError(503, `${this.url(id).href} cannot be reached (${(error as Error).message}). Check the connection.`, { id }, { cause: error });
    }
    if (response.status === 404) throw notFound(id);
    if (!response.ok && response.status !== 416) {
      const status = ([401, 403, 500, 502, 503, 504] as const).find((known) => known === response.status) ?? 502;
      throw new StorageError(status as StorageStatus, `${this.url(id).href} answered ${response.status} ${response.statusText}.`, { id, status: response.status });
    }
    return response;
  }

  put(): Promise<string> {
    return Promise.reject(unsupported('http', 'write (it is read-only)'));
  }
  update(): Promise<Doc | undefined> {
    return Promise.reject(unsupported('http', 'write (it is read-only)'));
  }
  post(): Promise<string> {
    return Promise.reject(unsupported('http', 'write (it is read-only)'));
  }
  remove(): Promise<void> {
    return Promise.reject(unsupported('http', 'write (it is read-only)'));
  }
  putAttachment(): Promise<void> {
    return Promise.reject(unsupported('http', 'write (it is read-only)'));
  }
  appendAttachment(): Promise<number> {
    return Promise.reject(unsupported('http', 'write (it is read-only)'));
  }
  removeAttachment(): Promise<void> {
    return Promise.reject(unsupported('http', 'write (it is read-only)'));
  }
  allDocs(): Promise<AllDocsResult> {
    return Promise.reject(unsupported('http', 'list files'));
  }
  changes(): Observable<Change> {
    return new Observable((subscriber) => subscriber.error(unsupported('http', 'follow changes')));
  }
  async repair(): Promise<void> {}
}

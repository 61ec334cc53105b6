import { readAs } from '../attachment-data';
import { isStorageError, StorageError } from '../storage-error';
import { StorageWrapper } from '../storage-wrapper';
import type { AttachmentData, AttachmentFormat, GetAttachmentOptions, Storage } from '../types';

/**
 * The device's storage, with attachment bytes it does not keep (arrays synced without their data, see "Keep offline")
 * read from a remote instead: everything else is the local storage's. An attachment missing here is asked of
 * `remote()` only when the document itself is here, so nothing unsynced appears by this path. A range this device
 * holds only the start of (an array whose pieces are still arriving) is completed from the remote when it can be; else
 * the short answer stands, which array readers report as "still arriving".
 */
export class RemoteFallbackStorage extends StorageWrapper {
  constructor(
    local: Storage,
    private readonly remote: () => Promise<Storage | undefined>,
  ) {
    super(local);
  }

  override async getAttachment<F extends AttachmentFormat = 'blob'>(id: string, name: string, options: GetAttachmentOptions<F> = {}): Promise<AttachmentData<F>> {
    const signal = options.signal ? { signal: options.signal } : {};
    // Bytes asked as bytes are read as bytes (no Blob round trip on the graph's and Welch's path); other formats
    // through a Blob, whose size tells whether the range is all here.
    const bytes = options.format === 'arraybuffer';
    let here: Blob | ArrayBuffer;
    try {
      here = await this.sub.getAttachment(id, name, { ...options, format: bytes ? 'arraybuffer' : 'blob' });
    } catch (error) {
      if (!isStorageError(error, 404)) throw error;
      await this.sub.get(id, signal); // a missing document stays a 404
      const remote = await this.remote();
      if (!remote) throw error;
      try {
        return await remote.getAttachment(id, name, options);
      } catch (remoteError) {
        if (!isStorageError(remoteError) || remoteError.status < 500) throw remoteError; // 404, credentials: as they are
        throw new StorageError(
          503,
          `The data of “${id}” is kept on the sync server, not on this device, and the server cannot be reached now. ` +
            'Connect to view it; to have it offline, use “Keep offline” on its page while connected.',
          { id, name },
          { cause: remoteError },
        );
      }
    }
    const start = options.start ?? 0;
    const size = here instanceof Blob ? here.size : here.byteLength;
    if (here instanceof ArrayBuffer && (options.end === undefined || size >= options.end - start)) return here as AttachmentData<F>;
    if (here instanceof Blob && (options.end === undefined || size >= options.end - start)) return readAs(here, options.format);
    const rest = await this.remainder(id, name, start + size, options.end as number, options.signal);
    const type = here instanceof Blob ? here.type : (rest?.type ?? '');
    return readAs(rest ? new Blob([here, rest], { type }) : here instanceof Blob ? here : new Blob([here], { type }), options.format);
  }

  /** Bytes [start, end) from the remote, or undefined when it has none to give (no remote, not there, unreachable). */
  private async remainder(id: string, name: string, start: number, end: number, signal: AbortSignal | undefined): Promise<Blob | undefined> {
    const remote = await this.remote();
    if (!remote) return undefined;
    try {
      return await remote.getAttachment(id, name, { start, end, ...(signal ? { signal } : {}) });
    } catch (error) {
      if (isStorageError(error)) return undefined;
      throw error;
    }
  }
}

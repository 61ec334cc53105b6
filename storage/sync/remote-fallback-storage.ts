import { isStorageError, StorageError } from '../storage-error';
import { StorageWrapper } from '../storage-wrapper';
import type { AttachmentData, AttachmentFormat, GetAttachmentOptions, Storage } from '../types';

/**
 * The device's storage, with attachment bytes it does not keep (arrays synced without their data, see "Keep offline")
 * read from a remote instead: everything else is the local storage's. An attachment missing here is asked of
 * `remote()` only when the document itself is here, so nothing unsynced appears by this path.
 */
export class RemoteFallbackStorage extends StorageWrapper {
  constructor(
    local: Storage,
    private readonly remote: () => Promise<Storage | undefined>,
  ) {
    super(local);
  }

  override async getAttachment<F extends AttachmentFormat = 'blob'>(id: string, name: string, options: GetAttachmentOptions<F> = {}): Promise<AttachmentData<F>> {
    try {
      return await this.sub.getAttachment(id, name, options);
    } catch (error) {
      if (!isStorageError(error, 404)) throw error;
      await this.sub.get(id, options.signal ? { signal: options.signal } : {}); // a missing document stays a 404
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
  }
}

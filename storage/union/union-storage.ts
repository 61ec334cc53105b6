import { isStorageError, StorageError } from '../storage-error';
import { StorageWrapper } from '../storage-wrapper';
import { notFound, unsupported } from '../checks';
import type {
  AllDocsOptions,
  AllDocsResult,
  AttachmentData,
  AttachmentFormat,
  AttachmentInfo,
  CallOptions,
  Capability,
  Doc,
  DocChange,
  GetAttachmentOptions,
  Storage,
} from '../types';

/**
 * Several storages seen as one (jIO's union): reads come from the first storage that has the document, writes and the
 * changes feed go to the first storage. Listing merges every storage's documents, the first one's winning for an id.
 */
export class UnionStorage extends StorageWrapper {
  private readonly storages: Storage[];

  constructor(storages: Storage[]) {
    const [first] = storages;
    if (!first) throw new StorageError(400, 'A union storage needs at least one storage.');
    super(first);
    this.storages = storages;
  }

  /** Listing: what every storage can do; query, sort, select and limit: no (wrap the union in a QueryStorage). */
  override hasCapacity(name: Capability): boolean {
    if (name === 'list' || name === 'include') return this.storages.every((storage) => storage.hasCapacity(name));
    if (name === 'query' || name === 'sort' || name === 'select' || name === 'limit') return false;
    return super.hasCapacity(name);
  }

  override get(id: string, options?: CallOptions): Promise<Doc> {
    return this.firstHaving((storage) => storage.get(id, options));
  }

  override getAttachment<F extends AttachmentFormat = 'blob'>(id: string, name: string, options?: GetAttachmentOptions<F>): Promise<AttachmentData<F>> {
    return this.firstHaving((storage) => storage.getAttachment(id, name, options));
  }

  override allAttachments(id: string, options?: CallOptions): Promise<Record<string, AttachmentInfo>> {
    return this.firstHaving((storage) => storage.allAttachments(id, options));
  }

  /**
   * Updates in the first storage, where writes go, atomically against its other writers. A document only a later
   * storage has (they are read-only through the union) is read from there first and given to `change` as the current
   * one, as `get` would show it; the new body then lands in the first storage.
   */
  override async update(id: string, change: DocChange, options?: CallOptions): Promise<Doc | undefined> {
    const later = (await orMissing(this.sub.get(id, options)))
      ? undefined
      : await orMissing(this.firstHaving(async (storage) => ({ doc: await storage.get(id, options), attachments: await storage.allAttachments(id, options) }), this.storages.slice(1)));
    return this.sub.update(id, (current, attachments) => (current === undefined && later ? change(later.doc, later.attachments) : change(current, attachments)), options);
  }

  override async allDocs(options: AllDocsOptions = {}): Promise<AllDocsResult> {
    if (options.query || options.sort_on || options.select_list || options.limit) {
      throw unsupported('union', 'query, sort, select or limit across storages (wrap it in a QueryStorage)');
    }
    const seen = new Set<string>();
    const rows = [];
    for (const storage of this.storages) {
      for (const row of (await storage.allDocs(options)).rows) {
        if (seen.has(row.id)) continue;
        seen.add(row.id);
        rows.push(row);
      }
    }
    return { total_rows: rows.length, rows };
  }

  /** The first storage's answer that is not a 404; the last 404 when none has it. */
  private async firstHaving<T>(read: (storage: Storage) => Promise<T>, storages = this.storages): Promise<T> {
    let missing: unknown = notFound('(none)'); // only when `storages` is empty
    for (const storage of storages) {
      try {
        return await read(storage);
      } catch (error) {
        if (!isStorageError(error, 404)) throw error;
        missing = error;
      }
    }
    throw missing;
  }
}

/** The answer, or undefined for a 404. */
function orMissing<T>(read: Promise<T>): Promise<T | undefined> {
  return read.catch((error: unknown) => {
    if (!isStorageError(error, 404)) throw error;
    return undefined;
  });
}

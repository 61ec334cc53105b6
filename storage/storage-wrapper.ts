import type {
  AllDocsOptions,
  AllDocsResult,
  AttachmentData,
  AttachmentFormat,
  AttachmentInfo,
  AttachmentInput,
  CallOptions,
  Capability,
  Change,
  ChangesOptions,
  Doc,
  DocChange,
  GetAttachmentOptions,
  PutAttachmentOptions,
  Storage,
} from './types';
import type { Observable } from 'rxjs';

/**
 * A storage that hands every call to the storage it wraps. Layers (query, uuid, cache…) extend it and override only
 * what they change, the way jIO storages stack.
 */
export class StorageWrapper implements Storage {
  constructor(protected readonly sub: Storage) {}

  hasCapacity(name: Capability): boolean {
    return this.sub.hasCapacity(name);
  }
  get(id: string, options?: CallOptions): Promise<Doc> {
    return this.sub.get(id, options);
  }
  put(id: string, doc: Doc, options?: CallOptions): Promise<string> {
    return this.sub.put(id, doc, options);
  }
  update(id: string, change: DocChange, options?: CallOptions): Promise<Doc | undefined> {
    return this.sub.update(id, change, options);
  }
  post(doc: Doc, options?: CallOptions): Promise<string> {
    return this.sub.post(doc, options);
  }
  remove(id: string, options?: CallOptions): Promise<void> {
    return this.sub.remove(id, options);
  }
  allDocs(options?: AllDocsOptions): Promise<AllDocsResult> {
    return this.sub.allDocs(options);
  }
  getAttachment<F extends AttachmentFormat = 'blob'>(id: string, name: string, options?: GetAttachmentOptions<F>): Promise<AttachmentData<F>> {
    return this.sub.getAttachment(id, name, options);
  }
  putAttachment(id: string, name: string, data: AttachmentInput, options?: PutAttachmentOptions): Promise<void> {
    return this.sub.putAttachment(id, name, data, options);
  }
  appendAttachment(id: string, name: string, data: AttachmentInput, options?: PutAttachmentOptions): Promise<number> {
    return this.sub.appendAttachment(id, name, data, options);
  }
  removeAttachment(id: string, name: string, options?: CallOptions): Promise<void> {
    return this.sub.removeAttachment(id, name, options);
  }
  allAttachments(id: string, options?: CallOptions): Promise<Record<string, AttachmentInfo>> {
    return this.sub.allAttachments(id, options);
  }
  changes(options?: ChangesOptions): Observable<Change> {
    return this.sub.changes(options);
  }
  repair(options?: CallOptions): Promise<void> {
    return this.sub.repair(options);
  }
}

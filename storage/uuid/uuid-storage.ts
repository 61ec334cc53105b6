import { checkDoc, throwIfAborted } from '../checks';
import { StorageWrapper } from '../storage-wrapper';
import type { CallOptions, Capability, Doc } from '../types';

/** Gives `post` to any storage: a new random UUID becomes the document's id, then it is put. */
export class UuidStorage extends StorageWrapper {
  override hasCapacity(name: Capability): boolean {
    return name === 'post' || this.sub.hasCapacity(name);
  }

  override async post(doc: Doc, options: CallOptions = {}): Promise<string> {
    throwIfAborted(options.signal);
    checkDoc(doc);
    return this.sub.put(crypto.randomUUID(), doc, options);
  }
}

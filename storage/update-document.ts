import { notFound } from './checks';
import type { AttachmentInfo, CallOptions, Doc, Storage } from './types';

/**
 * `storage.update` for a document that must be there: `change` gets its current body (and attachments) and returns
 * the new one, in one atomic step; 404 when the document is missing (removed meanwhile), and then nothing is written.
 * Resolves to the body written. The rules of `Storage.update` apply: `change` is synchronous, without side effects.
 */
export async function updateDocument(
  storage: Storage,
  id: string,
  change: (current: Doc, attachments: Readonly<Record<string, AttachmentInfo>>) => Doc,
  options: CallOptions = {},
): Promise<Doc> {
  const stored = await storage.update(
    id,
    (current, attachments) => {
      if (current === undefined) throw notFound(id);
      return change(current, attachments);
    },
    options,
  );
  return stored!;
}

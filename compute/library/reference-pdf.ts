// A PDF attached to a reference: its bytes in the document's `data` attachment, the same chunked attachment as an
// array's samples, so sync sends it in pieces and a tablet keeps it only when asked ("Keep offline"). The document
// names it only after the bytes are stored, so a reference never names a PDF that is not there.
import { DATA_ATTACHMENT, isStorageError, StorageError, type Storage } from '../../storage';
import { ReferenceError } from './reference-document';

const PDF_MAGIC = '%PDF-';

/** Attaches (or replaces) the reference's PDF; a file that is not a PDF is refused with a ReferenceError. */
export async function attachPdf(storage: Storage, id: string, file: File, options: { signal?: AbortSignal } = {}): Promise<void> {
  const head = new TextDecoder('latin1').decode(await file.slice(0, PDF_MAGIC.length).arrayBuffer());
  if (head !== PDF_MAGIC) throw new ReferenceError(`“${file.name}” is not a PDF (it does not start with ${PDF_MAGIC}): pick the PDF of the work.`);
  const signal = options.signal ? { signal: options.signal } : {};
  await storage.putAttachment(id, DATA_ATTACHMENT, file, { contentType: 'application/pdf', ...signal });
  await storage.update(
    id,
    (current) => {
      if (!current) throw new StorageError(404, 'The reference was deleted meanwhile: its PDF was not kept.', { id });
      return { ...current, pdf: { name: file.name, bytes: file.size }, modification_date: new Date().toISOString() };
    },
    signal,
  );
}

/** Removes the reference's PDF (the document first, then the bytes). */
export async function removePdf(storage: Storage, id: string): Promise<void> {
  await storage.update(id, (current) => {
    if (!current) return undefined;
    const { pdf: _pdf, ...rest } = current;
    return { ...rest, modification_date: new Date().toISOString() };
  });
  try {
    await storage.removeAttachment(id, DATA_ATTACHMENT);
  } catch (error) {
    if (!isStorageError(error, 404)) throw error; // never stored here (synced without its bytes): nothing to free
  }
}

import { DATA_ATTACHMENT } from './documents';
import type { Storage } from './types';

export interface NewImage {
  title: string;
  /** Raster bytes (PNG, JPEG, GIF or WebP); the Image page shows nothing else inline. */
  image: Blob;
  /** The document it was drawn from (a Data Array), when there is one. */
  source?: string;
  /** The samples [start, end) of the source it shows. */
  range?: { start: number; end: number };
}

/** Keeps a picture as an Image document (the Images list shows it, and it syncs); resolves to its id. */
export async function saveImageDocument(storage: Storage, { title, image, source, range }: NewImage, options: { signal?: AbortSignal } = {}): Promise<string> {
  const now = new Date().toISOString();
  const contentType = image.type || 'image/png';
  const id = await storage.post(
    {
      portal_type: 'Image',
      title,
      reference: `image-${now}`,
      modification_date: now,
      content_type: contentType,
      ...(source !== undefined ? { source } : {}),
      ...(range ? { range: [range.start, range.end] } : {}),
    },
    options,
  );
  await storage.putAttachment(id, DATA_ATTACHMENT, image, { contentType, ...options });
  return id;
}

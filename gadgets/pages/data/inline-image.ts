/** Raster image types, which an <img> or an opened image shows and nothing more. */
const RASTER_TYPES: Record<string, string> = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/gif': 'gif',
  'image/webp': 'webp',
  'image/avif': 'avif',
  'image/bmp': 'bmp',
};

/** An image attachment as the image page may offer it: shown inline, or only downloaded. */
export type ImageBytes =
  | { inline: true; blob: Blob; extension: string; format: string }
  | { inline: false; blob: Blob; extension: string; type: string };

/**
 * Sorts an attachment by its content type, which any synced device or server chose. Only raster types are shown:
 * an object URL keeps its blob's type, and one of an active type (SVG, HTML, XML) would run its script on the app's
 * origin once opened ("Open image in new tab", the download link). Anything else is given the type of plain bytes,
 * so its URL only ever downloads.
 */
export function imageBytes(blob: Blob): ImageBytes {
  const type = blob.type.split(';')[0]!.trim().toLowerCase();
  const extension = RASTER_TYPES[type];
  if (extension) return { inline: true, blob: new Blob([blob], { type }), extension, format: extension === 'jpg' ? 'JPEG' : extension.toUpperCase() };
  const subtype = /^[a-z]+\/([a-z0-9.-]+)/.exec(type)?.[1]?.replace(/^x-/, '') ?? 'bin';
  return { inline: false, blob: new Blob([blob], { type: 'application/octet-stream' }), extension: subtype, type: type || 'unknown' };
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * Text as HTML that shows it literally. For the dygraphs options it writes with innerHTML (`xlabel`, `ylabel`, `title`):
 * they come from documents, which any synced device or server can write, so markup in them must stay text.
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => ENTITIES[character]!);
}

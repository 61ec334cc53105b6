// The citation syntax as a marked extension: each citation becomes links to the references' pages (title, authors
// and year on hover), and a key the bibliography does not have stays visible as `[?key]`, never dropped. The HTML
// made here is sanitised with the rest of the markdown (notebook-output.ts).
import { Marked, type TokenizerAndRendererExtension, type Tokens } from 'marked';
import { CITATION_START, citationAt, type Citation, type CitationLookup } from '../../../compute/library/citations';
import { formatHash } from '../../shared/router';

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

type CitationToken = Tokens.Generic & Citation;

function citedKey(key: string, lookup: CitationLookup | undefined): string {
  if (!lookup) return `<span class="citation pending" data-key="${escapeHtml(key)}">${escapeHtml(key)}</span>`;
  const found = lookup.get(key);
  if (!found) return `<span class="citation unknown" data-key="${escapeHtml(key)}" title="${escapeHtml(`No reference with the key “${key}” in the bibliography`)}">[?${escapeHtml(key)}]</span>`;
  return `<a class="citation" data-key="${escapeHtml(key)}" href="${escapeHtml(formatHash('reference/:id', { id: found.id }))}" title="${escapeHtml(found.summary)}">${escapeHtml(found.label)}</a>`;
}

/** The extension; `lookup` undefined while the keys are being looked up (they show as plain keys meanwhile). */
export function citationExtension(lookup: CitationLookup | undefined): TokenizerAndRendererExtension {
  return {
    name: 'citation',
    level: 'inline',
    start: (source) => {
      const at = source.search(CITATION_START);
      return at < 0 ? undefined : at;
    },
    tokenizer: (source) => {
      const citation = citationAt(source);
      return citation ? { type: 'citation', ...citation } : undefined;
    },
    renderer: (token) => {
      const { keys, note } = token as CitationToken;
      return `<span class="citations">(${keys.map((key) => citedKey(key, lookup)).join('; ')}${note ? `, ${escapeHtml(note)}` : ''})</span>`;
    },
  };
}

/** Markdown to HTML with citations, not yet sanitised. */
export function markdownWithCitations(source: string, lookup: CitationLookup | undefined): string {
  return new Marked({ gfm: true, extensions: [citationExtension(lookup)] }).parse(source, { async: false });
}

// Citations in markdown: pandoc's `[@key]` (several as `[@a; @b]`) and natbib's `\citep[key]`, `\citep{a,b}` and
// `\citep[note]{key}` (with braces, the brackets are a note, as in LaTeX). One grammar, used both to find the keys a
// text cites (to look them up in one query) and by the markdown renderer.
import type { Storage } from '../../storage';
import { authorsShort, referenceSummary } from './reference-document';
import { referencesByKey } from './reference-store';

/** A citation key as written in a citation (what newReference accepts, and nothing that ends a citation). */
const KEY = String.raw`[^\s,;{}()[\]#%"'=~\\@]+`;

/** At the start of the text: one citation. Groups: pandoc keys | natbib brackets | natbib braces. */
export const CITATION = new RegExp(String.raw`^(?:\[(@${KEY}(?:\s*;\s*@${KEY})*)\]|\\citep(?:\[([^\]\n]*)\])?(?:\{([^}\n]+)\})?)`);
/** Where a citation may start (for the markdown tokenizer: text before it is plain). */
export const CITATION_START = /\[@|\\citep[[{]/;

export interface Citation {
  /** The whole citation as written. */
  raw: string;
  keys: string[];
  /** natbib's optional note (`\citep[p. 5]{key}` → `p. 5`). */
  note?: string;
}

/** The citation at the start of `text`, or undefined (a `\citep` with neither brackets nor braces is not one). */
export function citationAt(text: string): Citation | undefined {
  const match = CITATION.exec(text);
  if (!match || match[0] === '\\citep') return undefined;
  const [raw, pandoc, brackets, braces] = match;
  if (pandoc !== undefined) return { raw, keys: pandoc.split(';').map((key) => key.trim().replace(/^@/, '')) };
  const keysText = braces ?? brackets ?? '';
  const keys = keysText.split(',').map((key) => key.trim()).filter((key) => key !== '');
  if (keys.length === 0 || !keys.every((key) => new RegExp(`^${KEY}$`).test(key))) return undefined;
  return braces !== undefined && brackets ? { raw, keys, note: brackets } : { raw, keys };
}

/** Every key the text cites, once each, in order of first citation. Code spans and fenced blocks are skipped. */
export function citedKeys(markdown: string): string[] {
  const prose = markdown.replace(/```[\s\S]*?(```|$)|~~~[\s\S]*?(~~~|$)|`[^`\n]*`/g, ' ');
  const keys = new Set<string>();
  for (let at = prose.search(CITATION_START); at >= 0; ) {
    const citation = citationAt(prose.slice(at));
    for (const key of citation?.keys ?? []) keys.add(key);
    const next = prose.slice(at + 1).search(CITATION_START);
    at = next < 0 ? -1 : at + 1 + next;
  }
  return [...keys];
}

/** What a citation of a known key shows: a link to its page, a short label, the full summary on hover. */
export interface CitedReference {
  id: string;
  /** `Welch 1967`, `Cooley and Tukey 1965`, `Oppenheim et al. 2009`. */
  label: string;
  /** Title — authors — year (the link's title attribute). */
  summary: string;
}

export type CitationLookup = ReadonlyMap<string, CitedReference>;

/** The references these keys name, as citations show them; keys not in the bibliography are absent. */
export async function lookUpCitations(storage: Storage, keys: readonly string[], options: { signal?: AbortSignal } = {}): Promise<Map<string, CitedReference>> {
  const found = await referencesByKey(storage, keys, options);
  return new Map(
    [...found].map(([key, { id, reference }]) => [key, { id, label: [authorsShort(reference.authors) || reference.title, reference.year].filter(Boolean).join(' '), summary: referenceSummary(reference) }]),
  );
}

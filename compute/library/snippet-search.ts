// Searching the snippet library: words anywhere (title, blurb, code, tags), tags with their hierarchy (`signal`
// finds `signal/filter`), tag suggestions from the tags in use, and the two orders of the list.
import type { SnippetDocument } from './snippet-document';

export interface ListedSnippet {
  id: string;
  snippet: SnippetDocument;
  /** How often it was run, inserted or downloaded on this device, and when last (see snippet-usage.ts). */
  uses: number;
  lastUsed: string;
}

export type SnippetSort = 'recent' | 'used';

/** A tag and its parents: `signal/filter/iir` → `signal`, `signal/filter`, `signal/filter/iir`. */
export function tagPath(tag: string): string[] {
  const parts = tag.split('/');
  return parts.map((_, index) => parts.slice(0, index + 1).join('/'));
}

/** Whether a snippet has the tag or one below it. */
export function hasTag(tags: readonly string[], tag: string): boolean {
  return tags.some((candidate) => candidate === tag || candidate.startsWith(`${tag}/`));
}

/** Every tag in use with its parents, and how many snippets each covers (a parent counts its children's). */
export function tagCounts(snippets: readonly SnippetDocument[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const snippet of snippets) {
    const covered = new Set(snippet.tags.flatMap(tagPath));
    for (const tag of covered) counts.set(tag, (counts.get(tag) ?? 0) + 1);
  }
  return counts;
}

/** The children of a tag (`''` for the top level) in the tree of tags in use, by name. */
export function childTags(counts: ReadonlyMap<string, number>, parent: string): string[] {
  const depth = parent === '' ? 1 : parent.split('/').length + 1;
  return [...counts.keys()].filter((tag) => tag.split('/').length === depth && (parent === '' || tag.startsWith(`${parent}/`))).sort();
}

/** Tags in use that start with what was typed (or have a part that does), most used first; at most `limit`. */
export function suggestTags(counts: ReadonlyMap<string, number>, typed: string, limit = 8): string[] {
  const text = typed.trim().toLowerCase();
  if (text === '') return [];
  return [...counts.entries()]
    .filter(([tag]) => tag.startsWith(text) || tag.split('/').some((part) => part.startsWith(text)))
    .sort(([a, countA], [b, countB]) => countB - countA || a.localeCompare(b))
    .slice(0, limit)
    .map(([tag]) => tag);
}

function haystack(snippet: SnippetDocument): string {
  return [snippet.title, snippet.blurb, snippet.author, ...snippet.tags, ...snippet.files.flatMap((file) => [file.name, file.content])].join('\n').toLowerCase();
}

/** The snippets holding every word of `text` and every tag of `tags` (or one below it), in the order asked. */
export function searchSnippets(listed: readonly ListedSnippet[], { text = '', tags = [], sort = 'recent' }: { text?: string; tags?: readonly string[]; sort?: SnippetSort }): ListedSnippet[] {
  const words = text.toLowerCase().split(/\s+/).filter((word) => word !== '');
  const found = listed.filter(({ snippet }) => {
    if (!tags.every((tag) => hasTag(snippet.tags, tag))) return false;
    const all = haystack(snippet);
    return words.every((word) => all.includes(word));
  });
  const recent = (a: ListedSnippet, b: ListedSnippet) => b.snippet.modification_date.localeCompare(a.snippet.modification_date) || a.snippet.title.localeCompare(b.snippet.title);
  const used = (a: ListedSnippet, b: ListedSnippet) => b.uses - a.uses || b.lastUsed.localeCompare(a.lastUsed) || recent(a, b);
  return found.sort(sort === 'used' ? used : recent);
}

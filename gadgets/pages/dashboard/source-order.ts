import type { SourceSummary } from './source-types';

export const sourceSorts = {
  recent: { label: 'Recently changed' },
  name: { label: 'Name A–Z' },
  size: { label: 'Largest first' },
} as const;

export type SourceSort = keyof typeof sourceSorts;

export function isSourceSort(value: string): value is SourceSort {
  return Object.hasOwn(sourceSorts, value);
}

export interface SourceFilter {
  /** Words that must all appear in the title or reference (any case); '' keeps all. */
  text: string;
  /** A source type's key; '' keeps all types. */
  type: string;
  sort: SourceSort;
}

const byName = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

/** The cards to show, in order. Ties go by name, then id, so the order never jumps between renders. */
export function orderSources(sources: Iterable<SourceSummary>, { text, type, sort }: SourceFilter): SourceSummary[] {
  const words = text.toLowerCase().split(/\s+/).filter((word) => word !== '');
  const kept = [...sources].filter((source) => (type === '' || source.type === type) && words.every((word) => source.searchText.includes(word)));
  const tie = (a: SourceSummary, b: SourceSummary) => byName.compare(a.title, b.title) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  const first: Record<SourceSort, (a: SourceSummary, b: SourceSummary) => number> = {
    recent: (a, b) => b.modified - a.modified,
    name: () => 0,
    size: (a, b) => b.bytes - a.bytes,
  };
  return kept.sort((a, b) => first[sort](a, b) || tie(a, b));
}

import { describe, expect, it } from 'vitest';
import { newSnippet, type SnippetContent } from './snippet-document';
import { childTags, hasTag, searchSnippets, suggestTags, tagCounts, tagPath, type ListedSnippet } from './snippet-search';
import { recordSnippetUse, snippetUse } from './snippet-usage';

function listed(id: string, extra: Partial<SnippetContent>, date: string, uses = 0): ListedSnippet {
  const snippet = newSnippet({ title: id, blurb: '', language: 'javascript', files: [{ name: `${id}.js`, content: '' }], tags: [], ...extra }, { author: 'ana', date });
  return { id, snippet, uses, lastUsed: '' };
}

const library = [
  listed('lowpass', { tags: ['signal/filter/lowpass'], blurb: 'Butterworth low-pass' }, '2026-01-03T00:00:00Z', 1),
  listed('bandpass', { tags: ['signal/filter/bandpass'], files: [{ name: 'b.js', content: 'const biquad = 1' }] }, '2026-01-01T00:00:00Z', 5),
  listed('csv', { tags: ['data/export'] }, '2026-01-02T00:00:00Z', 2),
];

describe('snippet search and tags', () => {
  it('a tag covers the tags below it', () => {
    expect(tagPath('signal/filter/iir')).toEqual(['signal', 'signal/filter', 'signal/filter/iir']);
    expect(hasTag(['signal/filter/iir'], 'signal/filter')).toBe(true);
    expect(hasTag(['signal/filtering'], 'signal/filter')).toBe(false);
  });

  it('counts tags in use with their parents, browsable level by level', () => {
    const counts = tagCounts(library.map(({ snippet }) => snippet));
    expect(counts.get('signal')).toBe(2);
    expect(counts.get('signal/filter/bandpass')).toBe(1);
    expect(childTags(counts, '')).toEqual(['data', 'signal']);
    expect(childTags(counts, 'signal/filter')).toEqual(['signal/filter/bandpass', 'signal/filter/lowpass']);
  });

  it('suggests tags in use from what was typed, by start of the tag or of one of its parts', () => {
    const counts = tagCounts(library.map(({ snippet }) => snippet));
    expect(suggestTags(counts, 'sig')).toEqual(['signal', 'signal/filter', 'signal/filter/bandpass', 'signal/filter/lowpass']);
    expect(suggestTags(counts, 'band')).toEqual(['signal/filter/bandpass']);
    expect(suggestTags(counts, '')).toEqual([]);
    expect(suggestTags(counts, 'zzz')).toEqual([]);
  });

  it('finds words anywhere (title, blurb, code), narrows by tag, sorts by recent or most used', () => {
    expect(searchSnippets(library, { text: 'butterworth' }).map(({ id }) => id)).toEqual(['lowpass']);
    expect(searchSnippets(library, { text: 'BIQUAD' }).map(({ id }) => id)).toEqual(['bandpass']);
    expect(searchSnippets(library, { tags: ['signal/filter'] }).map(({ id }) => id)).toEqual(['lowpass', 'bandpass']);
    expect(searchSnippets(library, { tags: ['signal'], text: 'biquad' }).map(({ id }) => id)).toEqual(['bandpass']);
    expect(searchSnippets(library, {}).map(({ id }) => id)).toEqual(['lowpass', 'csv', 'bandpass']);
    expect(searchSnippets(library, { sort: 'used' }).map(({ id }) => id)).toEqual(['bandpass', 'csv', 'lowpass']);
  });

  it('counts uses per device, and survives an unreadable record', () => {
    const items = new Map<string, string>();
    const store = { getItem: (key: string) => items.get(key) ?? null, setItem: (key: string, value: string) => void items.set(key, value) };
    expect(snippetUse(store, 'a')).toEqual({ uses: 0, last: '' });
    recordSnippetUse(store, 'a', '2026-01-01T00:00:00Z');
    expect(recordSnippetUse(store, 'a', '2026-01-02T00:00:00Z')).toEqual({ uses: 2, last: '2026-01-02T00:00:00Z' });
    items.set('fieldscope.snippet-usage', '{broken');
    expect(snippetUse(store, 'a')).toEqual({ uses: 0, last: '' });
  });
});

import { describe, expect, it } from 'vitest';
import { MemoryStorage, QueryStorage, StorageError } from '../../storage';
import { BUILTIN_SNIPPETS } from './builtin-snippets';
import { editSnippet, forkSnippet, headsOf, mergeSnippetHistories, newSnippet, restoreVersion, SnippetError, snippetOf, type SnippetContent } from './snippet-document';
import { addBuiltinSnippets, forksOf, getSnippet, listSnippets, updateSnippet } from './snippet-store';

const content = (code: string, extra: Partial<SnippetContent> = {}): SnippetContent => ({ title: 'Gain', blurb: 'Times two', language: 'javascript', files: [{ name: 'gain.js', content: code }], tags: ['Signal/ Gain', 'signal/gain'], ...extra });
const by = (author: string, date: string) => ({ author, date });

describe('Snippet documents', () => {
  it('start with one version; each edit is a new version on top of the last; an edit changing nothing adds none', () => {
    const first = newSnippet(content('x * 2'), by('ana', '2026-01-01T00:00:00Z'));
    expect(first).toMatchObject({ portal_type: 'Snippet', title: 'Gain', tags: ['signal/gain'], author: 'ana', modification_date: '2026-01-01T00:00:00Z' });
    expect(first.versions).toHaveLength(1);
    expect(first.versions[0]?.parent).toBeNull();
    const second = editSnippet(first, content('x * 3'), by('ben', '2026-01-02T00:00:00Z'));
    expect(second.files[0]?.content).toBe('x * 3');
    expect(second.versions.map((version) => version.files[0]?.content)).toEqual(['x * 2', 'x * 3']);
    expect(second.versions[1]?.parent).toBe(first.head);
    expect(second.head).toBe(second.versions[1]?.version);
    expect(editSnippet(second, content('x * 3'), by('ben', '2026-01-03T00:00:00Z'))).toBe(second);
  });

  it('restores any version as a new version, keeping the whole history', () => {
    const first = newSnippet(content('v1'), by('ana', '2026-01-01T00:00:00Z'));
    const third = editSnippet(editSnippet(first, content('v2'), by('ana', '2026-01-02T00:00:00Z')), content('v3', { title: 'Gain 3' }), by('ana', '2026-01-03T00:00:00Z'));
    const restored = restoreVersion(third, first.head, by('ben', '2026-01-04T00:00:00Z'));
    expect(restored).toMatchObject({ title: 'Gain', files: [{ content: 'v1' }] });
    expect(restored.versions.map((version) => version.files[0]?.content)).toEqual(['v1', 'v2', 'v3', 'v1']);
    expect(restored.versions.at(-1)).toMatchObject({ restored_from: first.head, author: 'ben', parent: third.head });
    expect(() => restoreVersion(third, 'nope', by('ben', '2026-01-04T00:00:00Z'))).toThrow(SnippetError);
  });

  it('refuses bad input with a message saying what to fix', () => {
    expect(() => newSnippet(content('x', { title: '  ' }), by('a', '2026-01-01T00:00:00Z'))).toThrow(/needs a title/);
    expect(() => newSnippet(content('x', { files: [] }), by('a', '2026-01-01T00:00:00Z'))).toThrow(/at least one file/);
    expect(() => newSnippet(content('x', { files: [{ name: 'a.js', content: '' }, { name: 'a.js', content: '' }] }), by('a', '2026-01-01T00:00:00Z'))).toThrow(/Two files are called/);
    expect(() => newSnippet(content('x', { files: [{ name: '../a.js', content: '' }] }), by('a', '2026-01-01T00:00:00Z'))).toThrow(/without slashes/);
    expect(() => newSnippet(content('x', { language: 'python' }), by('a', '2026-01-01T00:00:00Z'))).toThrow(/JavaScript or TypeScript/);
  });

  it('reads a stored body field by field: not a snippet, or one without files, is undefined; junk versions are dropped', () => {
    expect(snippetOf({ portal_type: 'Notebook', files: [{ name: 'a', content: '' }] })).toBeUndefined();
    expect(snippetOf({ portal_type: 'Snippet', files: 'x' })).toBeUndefined();
    const read = snippetOf({ portal_type: 'Snippet', title: 7, files: [{ name: 'a.js', content: '1' }, 3], tags: ['B', 9], versions: [{ nope: 1 }], language: 'cobol' });
    expect(read).toMatchObject({ title: '', tags: ['b'], language: 'javascript', versions: [], files: [{ name: 'a.js', content: '1' }] });
  });

  it('forks record the snippet and version they came from, and the original lists its forks', async () => {
    const storage = new QueryStorage(new MemoryStorage());
    const original = newSnippet(content('x * 2'), by('ana', '2026-01-01T00:00:00Z'));
    await storage.put('original', original);
    const fork = forkSnippet('original', original, by('ben', '2026-01-02T00:00:00Z'));
    expect(fork).toMatchObject({ title: 'Gain (fork)', author: 'ben', forked_from: { id: 'original', version: original.head } });
    expect(fork.versions).toHaveLength(1);
    await storage.put('fork', fork);
    expect((await forksOf(storage, 'original')).map(({ id }) => id)).toEqual(['fork']);
    expect(await forksOf(storage, 'fork')).toEqual([]);
  });

  it('edits go onto the version stored now (an edit made elsewhere meanwhile stays in the history)', async () => {
    const storage = new QueryStorage(new MemoryStorage());
    const first = newSnippet(content('v1'), by('ana', '2026-01-01T00:00:00Z'));
    await storage.put('s', first);
    await updateSnippet(storage, 's', (current) => editSnippet(current, content('from another tab'), by('ana', '2026-01-02T00:00:00Z')));
    const written = await updateSnippet(storage, 's', (current) => editSnippet(current, content('mine'), by('ana', '2026-01-03T00:00:00Z')));
    expect(written.versions.map((version) => version.files[0]?.content)).toEqual(['v1', 'from another tab', 'mine']);
    expect((await getSnippet(storage, 's')).files[0]?.content).toBe('mine');
    await expect(updateSnippet(storage, 'gone', (current) => current)).rejects.toBeInstanceOf(StorageError);
  });

  it('merges two devices’ histories: every version of both is kept, one shown, the other named as another head', () => {
    const base = newSnippet(content('v1'), by('ana', '2026-01-01T00:00:00Z'));
    const onA = editSnippet(base, content('tablet A'), by('ana', '2026-01-02T00:00:00Z'));
    const onB = editSnippet(base, content('tablet B'), by('ben', '2026-01-02T00:05:00Z'));
    const merged = mergeSnippetHistories(onA, onB);
    expect(merged.versions.map((version) => version.files[0]?.content)).toEqual(['v1', 'tablet A', 'tablet B']);
    expect(merged.files[0]?.content).toBe('tablet A');
    expect(merged.other_heads).toEqual([onB.head]);
    expect(headsOf(merged.versions).map((version) => version.version).sort()).toEqual([onA.head, onB.head].sort());
    // The next edit on top of it is one history again.
    const next = editSnippet(merged, content('tablet A'), by('ana', '2026-01-03T00:00:00Z'));
    expect(next.other_heads).toBeUndefined();
    expect(next.versions).toHaveLength(4);
    // Merging what one side already has changes nothing of its history.
    expect(mergeSnippetHistories(onA, base).versions).toEqual(onA.versions);
  });

  it('adds the shipped snippets once, with fixed ids and versions (two devices write the same documents)', async () => {
    const storage = new QueryStorage(new MemoryStorage());
    expect(await addBuiltinSnippets(storage)).toBe(BUILTIN_SNIPPETS.length);
    expect(await addBuiltinSnippets(storage)).toBe(0);
    const titles = (await listSnippets(storage)).map(({ snippet }) => snippet.title).sort();
    expect(titles).toEqual(['Band-pass filter', 'CSV of a range', 'Peak finding', 'RMS per window']);
    const other = new QueryStorage(new MemoryStorage());
    await addBuiltinSnippets(other);
    for (const [id] of BUILTIN_SNIPPETS) expect(await other.get(id)).toEqual(await storage.get(id));
  });
});

import { describe, expect, it } from 'vitest';
import { mergeCells } from './merge-cells';
import type { Cell } from './notebook-document';

const code = (id: string, source: string): Cell => ({ id, cell_type: 'code', source, language: 'javascript', execution_count: null });

describe('merging cells', () => {
  const base = [code('a', '1'), code('b', '2'), code('c', '3')];

  it('keeps both sides’ edits to different cells (two tablets, one notebook)', () => {
    const mine = [code('a', '1 mine'), code('b', '2'), code('c', '3')];
    const theirs = [code('a', '1'), code('b', '2 theirs'), code('c', '3')];
    expect(mergeCells(base, theirs, mine).map((cell) => cell.source)).toEqual(['1 mine', '2 theirs', '3']);
  });

  it('keeps cells added elsewhere after the cell they followed, and mine where I put them', () => {
    const mine = [code('a', '1'), code('m', 'new mine'), code('b', '2'), code('c', '3')];
    const theirs = [code('a', '1'), code('b', '2'), code('t', 'new theirs'), code('c', '3')];
    expect(mergeCells(base, theirs, mine).map((cell) => cell.id)).toEqual(['a', 'm', 'b', 't', 'c']);
  });

  it('drops a cell deleted elsewhere that I left alone, keeps one I edited, and my deletions stand', () => {
    const mine = [code('a', '1 edited'), code('c', '3')]; // I deleted b
    const theirs = [code('b', '2'), code('c', '3')]; // they deleted a
    expect(mergeCells(base, theirs, mine).map((cell) => [cell.id, cell.source])).toEqual([['a', '1 edited'], ['c', '3']]);
    expect(mergeCells(base, [code('a', '1'), code('b', '2')], base).map((cell) => cell.id)).toEqual(['a', 'b']);
  });

  it('a cell both changed keeps mine', () => {
    expect(mergeCells(base, [code('a', 'theirs'), ...base.slice(1)], [code('a', 'mine'), ...base.slice(1)])[0]?.source).toBe('mine');
  });
});

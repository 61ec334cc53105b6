import { describe, expect, it } from 'vitest';
import { mergeNotebookVersions } from './merge-notebook-versions';
import type { Cell } from './notebook-document';

const code = (id: string, source: string): Cell => ({ id, cell_type: 'code', source, language: 'javascript', execution_count: null });
const notebook = (cells: Cell[], extra: Record<string, unknown> = {}) => ({ portal_type: 'Notebook', title: 'Pump log', modification_date: '2026-12-01T10:00:00.000Z', cells, ...extra });

const mergeNotebookVersionsFrom = (base: Record<string, unknown>, local: Record<string, unknown>, remote: Record<string, unknown>) => mergeNotebookVersions(local, remote, base);

describe('mergeNotebookVersions (two devices, one notebook, edited apart)', () => {
  const base = notebook([code('a', '1'), code('b', '2'), code('c', '3')]);

  it('keeps an edit of one cell from each side, cells added on both, and the later modification date', () => {
    const local = notebook([code('a', '1 + 1'), code('b', '2'), code('c', '3'), code('mine', 'new here')], { modification_date: '2026-12-02T09:00:00.000Z' });
    const remote = notebook([code('a', '1'), code('theirs', 'new there'), code('b', '2'), code('c', '3 * 3')], { modification_date: '2026-12-02T08:00:00.000Z' });
    const merged = mergeNotebookVersionsFrom(base, local, remote);
    expect(merged?.['cells']).toEqual([code('a', '1 + 1'), code('theirs', 'new there'), code('b', '2'), code('c', '3 * 3'), code('mine', 'new here')]);
    expect(merged?.['modification_date']).toBe('2026-12-02T09:00:00.000Z');
    expect(merged?.['title']).toBe('Pump log');
  });

  it('takes a field changed on one side, and removes a cell removed on one side and untouched on the other', () => {
    const local = notebook([code('a', '1'), code('c', '3')]);
    const remote = notebook([code('a', '1'), code('b', '2'), code('c', '3')], { title: 'Pump log, north' });
    expect(mergeNotebookVersionsFrom(base, local, remote)).toMatchObject({ title: 'Pump log, north', cells: [code('a', '1'), code('c', '3')] });
  });

  it('does not merge what would lose an edit: one cell or field changed on both sides, a cell removed on one and edited on the other', () => {
    expect(mergeNotebookVersionsFrom(base, notebook([code('a', 'A'), code('b', '2'), code('c', '3')]), notebook([code('a', 'B'), code('b', '2'), code('c', '3')]))).toBeUndefined();
    expect(mergeNotebookVersionsFrom(base, notebook(base.cells, { title: 'A' }), notebook(base.cells, { title: 'B' }))).toBeUndefined();
    expect(mergeNotebookVersionsFrom(base, notebook([code('a', '1'), code('c', '3')]), notebook([code('a', '1'), code('b', 'edited'), code('c', '3')]))).toBeUndefined();
    expect(mergeNotebookVersionsFrom(base, notebook([code('a', '1'), code('b', 'edited'), code('c', '3')]), notebook([code('a', '1'), code('c', '3')]))).toBeUndefined();
  });

  it('leaves documents other than notebooks, and notebooks without their base version, to the conflict list', () => {
    expect(mergeNotebookVersions(notebook([]), notebook([code('x', '1')]), undefined)).toBeUndefined();
    expect(mergeNotebookVersions({ portal_type: 'Data Array', title: 'y' }, { portal_type: 'Data Array', title: 'z' }, { title: 'x' })).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import { MemoryStorage, QueryStorage, StorageError } from '../../storage';
import { notebookCells } from '../notebook/notebook-document';
import { BUILTIN_SNIPPETS } from './builtin-snippets';
import { insertSnippet, notebookOfSnippet } from './snippet-notebook';

const [, bandPass] = BUILTIN_SNIPPETS[0]!;

describe('a snippet into a notebook', () => {
  it('appends its first file as a code cell in its language, after the cells there (an old text notebook keeps its text)', async () => {
    const storage = new QueryStorage(new MemoryStorage());
    await storage.put('nb', { portal_type: 'Notebook', title: 'Field notes', reference: 'nb', modification_date: '2026-01-01T00:00:00Z', text: 'pump 3 noisy' });
    const cellId = await insertSnippet(storage, 'nb', bandPass);
    const cells = notebookCells(await storage.get('nb'));
    expect(cells.map((cell) => cell.cell_type)).toEqual(['markdown', 'code']);
    expect(cells[0]?.source).toBe('pump 3 noisy');
    expect(cells[1]).toMatchObject({ id: cellId, language: 'javascript', source: bandPass.files[0]?.content, execution_count: null });
  });

  it('refuses a notebook that is gone or is not a notebook, writing nothing', async () => {
    const storage = new QueryStorage(new MemoryStorage());
    await expect(insertSnippet(storage, 'missing', bandPass)).rejects.toThrow(/no notebook “missing”/);
    await storage.put('array', { portal_type: 'Data Array', title: 'a', reference: 'a', modification_date: '2026-01-01T00:00:00Z' });
    await expect(insertSnippet(storage, 'array', bandPass)).rejects.toBeInstanceOf(StorageError);
    expect(await storage.get('array')).not.toHaveProperty('cells');
  });

  it('makes a new notebook titled after the snippet with it as the one cell', async () => {
    const storage = new QueryStorage(new MemoryStorage());
    const id = await notebookOfSnippet(storage, bandPass);
    const doc = await storage.get(id);
    expect(doc).toMatchObject({ portal_type: 'Notebook', title: 'Band-pass filter' });
    expect(notebookCells(doc).map((cell) => cell.source)).toEqual([bandPass.files[0]?.content]);
  });
});

import { describe, expect, it } from 'vitest';
import { MIGRATED_TEXT_CELL_ID, notebookCells, withCells } from './notebook-document';

describe('notebook cells', () => {
  it('reads an old text notebook as one markdown cell with its text', () => {
    const old = { portal_type: 'Notebook', title: 'Pump', text: 'Bearing noise at 120 Hz\nsecond line' };
    expect(notebookCells(old)).toEqual([{ id: MIGRATED_TEXT_CELL_ID, cell_type: 'markdown', source: 'Bearing noise at 120 Hz\nsecond line' }]);
  });

  it('reads an empty text notebook as no cells', () => {
    expect(notebookCells({ portal_type: 'Notebook', text: '' })).toEqual([]);
  });

  it('keeps code cells with their language and count, and drops what is not a cell', () => {
    const doc = {
      cells: [
        { id: 'a', cell_type: 'code', source: '1+1', language: 'typescript', execution_count: 3, msg_id: 'm1' },
        { id: 'b', cell_type: 'code', source: 'x', language: 'cobol', execution_count: -1 },
        { cell_type: 'code', source: 'no id' },
        'junk',
        { id: 'c', cell_type: 'markdown', source: 42 },
      ],
    };
    expect(notebookCells(doc)).toEqual([
      { id: 'a', cell_type: 'code', source: '1+1', language: 'typescript', execution_count: 3, msg_id: 'm1' },
      { id: 'b', cell_type: 'code', source: 'x', language: 'javascript', execution_count: null },
      { id: 'c', cell_type: 'markdown', source: '' },
    ]);
  });

  it('saving cells drops the old text field so it is not kept twice', () => {
    const saved = withCells({ portal_type: 'Notebook', title: 't', text: 'old' }, [{ id: 'x', cell_type: 'markdown', source: 'old' }]);
    expect(saved).toEqual({ portal_type: 'Notebook', title: 't', cells: [{ id: 'x', cell_type: 'markdown', source: 'old' }] });
  });
});

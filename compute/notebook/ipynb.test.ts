import { describe, expect, it } from 'vitest';
import { MemoryStorage, QueryStorage, UuidStorage } from '../../storage';
import { exportIpynb, fromIpynb, importIpynb, IpynbFormatError } from './ipynb';
import { notebookCells } from './notebook-document';
import { outputsOf, outputsOfNotebook } from './output-document';

const stack = () => new QueryStorage(new UuidStorage(new MemoryStorage()));

/** A notebook as Jupyter writes it: multiline strings as lists of lines, one of each output type. */
const fromJupyter = {
  nbformat: 4,
  nbformat_minor: 5,
  metadata: { kernelspec: { name: 'javascript', display_name: 'JavaScript', language: 'javascript' } },
  cells: [
    { id: 'md', cell_type: 'markdown', metadata: {}, source: ['# Spectrum\n', 'of the pump'] },
    {
      id: 'code',
      cell_type: 'code',
      metadata: {},
      execution_count: 4,
      source: ['const x = 2;\n', 'x * 21'],
      outputs: [
        { output_type: 'stream', name: 'stdout', text: ['line 1\n', 'line 2\n'] },
        { output_type: 'stream', name: 'stderr', text: 'careful\n' },
        { output_type: 'display_data', data: { 'text/html': ['<b>bold</b>\n', '<i>it</i>'], 'application/json': { a: [1, 2] }, 'image/png': 'iVBORw0KGgo=' }, metadata: { 'image/png': { width: 10 } } },
        { output_type: 'execute_result', execution_count: 4, data: { 'text/plain': ['42'] }, metadata: {} },
        { output_type: 'error', ename: 'TypeError', evalue: 'x is not a function', traceback: ['TypeError: x is not a function', '    at cell 1:1'] },
      ],
    },
    { id: 'raw', cell_type: 'raw', metadata: {}, source: 'raw text' },
  ],
};

describe('.ipynb', () => {
  it('imports a Jupyter notebook: cells in order, outputs as Output documents of the cell’s run', async () => {
    const storage = stack();
    const body = await importIpynb(storage, 'nb', fromJupyter, 'Imported');
    const cells = notebookCells(body);
    expect(cells.map((cell) => [cell.id, cell.cell_type, cell.source])).toEqual([
      ['md', 'markdown', '# Spectrum\nof the pump'],
      ['code', 'code', 'const x = 2;\nx * 21'],
      ['raw', 'markdown', 'raw text'],
    ]);
    const code = cells[1];
    if (code?.cell_type !== 'code' || !code.msg_id) throw new Error('the code cell has no run');
    expect(code.execution_count).toBe(4);
    const outputs = await outputsOf(storage, code.msg_id);
    expect(outputs.map((output) => output.msg_type)).toEqual(['stream', 'stream', 'display_data', 'execute_result', 'error']);
    expect(outputs[0]?.content).toEqual({ name: 'stdout', text: 'line 1\nline 2\n' });
    expect(outputs[2]?.content).toEqual({ data: { 'text/html': '<b>bold</b>\n<i>it</i>', 'application/json': { a: [1, 2] }, 'image/png': 'iVBORw0KGgo=' }, metadata: { 'image/png': { width: 10 } } });
    expect(outputs[4]?.content).toEqual({ ename: 'TypeError', evalue: 'x is not a function', traceback: ['TypeError: x is not a function', '    at cell 1:1'] });
  });

  it('round-trips: exported then imported again gives the same cells and outputs', async () => {
    const storage = stack();
    const body = await importIpynb(storage, 'nb', fromJupyter, 'Imported');
    const text = await exportIpynb(storage, 'nb', 'Pump', notebookCells(body));
    const exported = JSON.parse(text) as typeof fromJupyter;
    expect(exported.nbformat).toBe(4);
    // Jupyter's own convention: lists of lines, each keeping its newline.
    expect(exported.cells[1]?.source).toEqual(['const x = 2;\n', 'x * 21']);
    expect(exported.cells[1]?.outputs).toEqual([
      fromJupyter.cells[1]?.outputs?.[0],
      { output_type: 'stream', name: 'stderr', text: ['careful\n'] },
      fromJupyter.cells[1]?.outputs?.[2],
      fromJupyter.cells[1]?.outputs?.[3],
      fromJupyter.cells[1]?.outputs?.[4],
    ]);
    const again = stack();
    const reimported = await importIpynb(again, 'nb2', exported, 'x');
    expect(reimported['title']).toBe('Pump');
    const strip = (cells: ReturnType<typeof notebookCells>) => cells.map(({ id, cell_type, source }) => ({ id, cell_type, source }));
    expect(strip(notebookCells(reimported))).toEqual(strip(notebookCells(body)));
    const contents = async (s: ReturnType<typeof stack>, id: string) => (await outputsOfNotebook(s, id)).map((output) => [output.msg_type, output.content]);
    expect(await contents(again, 'nb2')).toEqual(await contents(storage, 'nb'));
  });

  it('keeps a TypeScript cell’s language through a round trip', () => {
    const file = { nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [{ id: 't', cell_type: 'code', metadata: { fieldscope: { language: 'typescript' } }, source: 'let a: number = 1', execution_count: null, outputs: [] }] };
    expect(fromIpynb(file).cells[0]?.cell).toMatchObject({ language: 'typescript', execution_count: null });
  });

  it('refuses what is not nbformat 4 with a message saying what to do', () => {
    expect(() => fromIpynb({ nbformat: 3, worksheets: [] })).toThrow(IpynbFormatError);
    expect(() => fromIpynb({ nbformat: 3 })).toThrow(/nbformat 4/);
    expect(() => fromIpynb({ nbformat: 4, cells: [{ cell_type: 'code', source: 1 }] })).toThrow(/neither a string/);
  });
});

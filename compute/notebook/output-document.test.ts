import { describe, expect, it } from 'vitest';
import { MemoryStorage, QueryStorage, UuidStorage } from '../../storage';
import { makeMessage, type JupyterMessage } from '../kernel/messages';
import { clearOutputs, outputDocument, outputsOf, outputsOfNotebook, saveOutput } from './output-document';

const stack = () => new QueryStorage(new UuidStorage(new MemoryStorage()));
const request = () => makeMessage('execute_request', { code: '1', silent: false, store_history: true, user_expressions: {}, allow_stdin: false, stop_on_error: true }, { session: 's' });

async function store(storage: ReturnType<typeof stack>, notebook: string, cell: string, parent = request()) {
  const messages: JupyterMessage[] = [
    makeMessage('status', { execution_state: 'busy' }, { session: 's', parent: parent.header }),
    makeMessage('stream', { name: 'stdout', text: 'one\n' }, { session: 's', parent: parent.header }),
    makeMessage('execute_result', { execution_count: 1, data: { 'text/plain': '2' }, metadata: {} }, { session: 's', parent: parent.header }),
  ];
  let sequence = 0;
  for (const message of messages) {
    const doc = outputDocument(message, { notebook, cell, sequence });
    if (!doc) continue;
    await saveOutput(storage, doc);
    sequence += 1;
  }
  return parent;
}

describe('Output documents', () => {
  it('keeps each output message as its own document, found by its parent msg_id in order', async () => {
    const storage = stack();
    const first = await store(storage, 'nb', 'c1');
    await store(storage, 'nb', 'c2');
    const outputs = await outputsOf(storage, first.header.msg_id);
    expect(outputs.map((output) => output.msg_type)).toEqual(['stream', 'execute_result']);
    expect(outputs[0]).toMatchObject({ portal_type: 'Output', reference: first.header.msg_id, parent_msg_id: first.header.msg_id, notebook: 'nb', cell: 'c1', content: { name: 'stdout', text: 'one\n' } });
  });

  it('does not keep status messages or requests as outputs', () => {
    const parent = request();
    expect(outputDocument(parent, { notebook: 'nb', cell: 'c', sequence: 0 })).toBeUndefined();
    expect(outputDocument(makeMessage('status', { execution_state: 'idle' }, { session: 's', parent: parent.header }), { notebook: 'nb', cell: 'c', sequence: 0 })).toBeUndefined();
  });

  it('clearing a cell removes its outputs only; clearing the notebook removes the rest', async () => {
    const storage = stack();
    await store(storage, 'nb', 'c1');
    const kept = await store(storage, 'nb', 'c2');
    await store(storage, 'other', 'c1');
    expect(await clearOutputs(storage, 'nb', { cell: 'c1' })).toBe(2);
    expect((await outputsOfNotebook(storage, 'nb')).map((output) => output.cell)).toEqual(['c2', 'c2']);
    expect(await outputsOf(storage, kept.header.msg_id)).toHaveLength(2);
    expect(await clearOutputs(storage, 'nb')).toBe(2);
    expect(await outputsOfNotebook(storage, 'nb')).toEqual([]);
    expect(await outputsOfNotebook(storage, 'other')).toHaveLength(2);
  });
});

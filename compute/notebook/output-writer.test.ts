import { describe, expect, it } from 'vitest';
import { MemoryStorage, QueryStorage, StorageError, StorageWrapper, UuidStorage, type CallOptions, type Doc } from '../../storage';
import { makeMessage } from '../kernel/messages';
import { outputDocument, outputsOfNotebook, type OutputDocument } from './output-document';
import { OutputWriter } from './output-writer';

const stack = () => new QueryStorage(new UuidStorage(new MemoryStorage()));

function streamOutput(cell: string, sequence: number): OutputDocument {
  const request = makeMessage('execute_request', { code: '1', silent: false, store_history: true, user_expressions: {}, allow_stdin: false, stop_on_error: true }, { session: 's' });
  const doc = outputDocument(makeMessage('stream', { name: 'stdout', text: `${cell} ${sequence}\n` }, { session: 's', parent: request.header }), { notebook: 'nb', cell, sequence });
  if (!doc) throw new Error('a stream message is an output');
  return doc;
}

/** Writes slowly, so saves pile up behind the kernel the way they do behind a busy IndexedDB. */
class SlowStorage extends StorageWrapper {
  override async put(id: string, doc: Doc, options?: CallOptions): Promise<string> {
    await new Promise((resolve) => setTimeout(resolve, 2));
    return super.put(id, doc, options);
  }
}

describe('OutputWriter', () => {
  it('returns at once and has every output stored once flushed', async () => {
    const storage = new SlowStorage(stack());
    const writer = new OutputWriter(async () => storage);
    for (let index = 0; index < 50; index += 1) writer.save(streamOutput('c1', index));
    expect(await outputsOfNotebook(storage, 'nb')).toHaveLength(0); // nothing waited for the writes
    await writer.flush();
    const stored = await outputsOfNotebook(storage, 'nb');
    expect(stored.map((output) => output.sequence)).toEqual([...Array(50).keys()]);
  });

  it('clears a cell only after its writes on their way have landed, so none comes back', async () => {
    const storage = new SlowStorage(stack());
    const writer = new OutputWriter(async () => storage);
    for (let index = 0; index < 10; index += 1) {
      writer.save(streamOutput('c1', index));
      writer.save(streamOutput('c2', index));
    }
    expect(await writer.clear('nb', { cell: 'c1' })).toBe(10);
    await writer.flush();
    const left = await outputsOfNotebook(storage, 'nb');
    expect(left.map((output) => output.cell)).toEqual(Array(10).fill('c2'));
  });

  it('reports a write that fails and goes on with the others', async () => {
    const refused = new StorageError(507, 'The device is full.');
    class FullOnce extends StorageWrapper {
      private failures = 1;
      override async put(id: string, doc: Doc, options?: CallOptions): Promise<string> {
        if (this.failures-- > 0) throw refused;
        return super.put(id, doc, options);
      }
    }
    const storage = new FullOnce(stack());
    const errors: unknown[] = [];
    const writer = new OutputWriter(async () => storage, (error) => errors.push(error));
    writer.save(streamOutput('c1', 0));
    writer.save(streamOutput('c1', 1));
    await writer.flush();
    expect(errors).toEqual([refused]);
    expect((await outputsOfNotebook(storage, 'nb')).map((output) => output.sequence)).toEqual([1]);
  });
});

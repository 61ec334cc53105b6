import { afterEach, describe, expect, it } from 'vitest';
import { Gadget } from '../../gadgets/core';
import { define } from '../../gadgets/core/test-helpers';
import type { Storage } from '../../storage';
import { appendSamples, createDataArray } from '../../storage/arrays';
import { IndexedDBStorage } from '../../storage/indexeddb/indexeddb-storage';
import { QueryStorage } from '../../storage/query/query-storage';
import { UuidStorage } from '../../storage/uuid/uuid-storage';
import { executeRequest, KernelSession } from '../kernel/kernel-session';
import type { JupyterMessage } from '../kernel/messages';
import { BUILTIN_SNIPPETS } from './builtin-snippets';

class Host extends Gadget {}
const hostTag = define(Host);
const roots: Element[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) root.remove();
});

/** Runs each shipped snippet as it ships, in the real kernel worker, on real storage; returns the messages of each run. */
async function runAll(storage: Storage, snippets = BUILTIN_SNIPPETS) {
  const host = document.createElement(hostTag) as Host;
  document.body.append(host);
  roots.push(host);
  const messages: JupyterMessage[] = [];
  const kernel = new KernelSession({ gadget: host, storage: async () => storage, onMessage: (message) => void messages.push(message) });
  const runs = [];
  for (const [id, snippet] of snippets) {
    const request = executeRequest(snippet.files[0]?.content ?? '', snippet.language, kernel.session);
    const reply = await kernel.execute(request);
    const own = messages.filter((message) => (message.parent_header as { msg_id?: string }).msg_id === request.header.msg_id);
    runs.push({ id, reply, types: own.map((message) => message.header.msg_type), errors: own.filter((message) => message.header.msg_type === 'error').map((message) => JSON.stringify(message.content)), own });
    await kernel.restart(); // each snippet declares the same names: a fresh kernel each, as the snippet page runs them
  }
  kernel.close();
  return runs;
}

const storageNamed = (name: string): Storage => new QueryStorage(new UuidStorage(new IndexedDBStorage({ name: `${name}-${Math.random()}` })));

describe('the shipped snippets run in the notebook kernel', () => {
  it('on a test signal when there is no array: every one ends ok with a result or a printed line, no error', async () => {
    const storage = storageNamed('builtins-empty');
    const runs = await runAll(storage);
    expect(runs).toHaveLength(4);
    for (const run of runs) {
      expect(run.errors, run.id).toEqual([]);
      expect(run.reply.content.status, run.id).toBe('ok');
      expect(run.types.some((type) => type === 'execute_result' || type === 'stream' || type === 'display_data'), run.id).toBe(true);
    }
    // The band-pass filter saved its result as a new array; then the CSV, peaks.
    const { rows } = await storage.allDocs({ query: 'portal_type:="Data Array"', select_list: ['title'] });
    expect(rows.map((row) => row.value['title'])).toEqual(['test signal (50 Hz + 120 Hz) band-pass 90-160 Hz']);
    const csv = runs.find((run) => run.id === 'snippet-builtin-csv-range')?.own.find((message) => message.header.msg_type === 'execute_result');
    const text = String((csv?.content as { data: Record<string, unknown> }).data['text/plain']);
    // The band-pass filter ran first, so the CSV is of its array: a header and rows 0 to 19.
    expect(text.split('\n')).toHaveLength(21);
    expect(text).toMatch(/^time,channel_0\n0,/);
    // On the band-passed signal the 120 Hz peak is the strongest, the 50 Hz one (filtered out) next.
    const peaks = runs.find((run) => run.id === 'snippet-builtin-peaks')?.own.find((message) => message.header.msg_type === 'execute_result');
    expect(String((peaks?.content as { data: Record<string, unknown> }).data['text/plain'])).toMatch(/^\[\{hz: 1(19|20|21)\.\d+, [^}]*\}, \{hz: (49|50|51)\.\d+/);
  });

  it('on the first Data Array there is, every channel read', async () => {
    const storage = storageNamed('builtins-array');
    const rate = 500;
    const samples = Float32Array.from({ length: 2000 * 2 }, (_, i) => Math.sin((2 * Math.PI * 100 * Math.floor(i / 2)) / rate));
    await appendSamples(storage, await createDataArray(storage, { title: 'two channels', dtype: 'float32', channels: 2, sampling_rate: rate }), samples);
    // Last first: the CSV reads the stored array before the band-pass filter adds its own.
    const runs = await runAll(storage, [...BUILTIN_SNIPPETS].reverse());
    for (const run of runs) {
      expect(run.errors, run.id).toEqual([]);
      expect(run.reply.content.status, run.id).toBe('ok');
    }
    const csv = runs.find((run) => run.id === 'snippet-builtin-csv-range')?.own.find((message) => message.header.msg_type === 'execute_result');
    expect(String((csv?.content as { data: Record<string, unknown> }).data['text/plain'])).toMatch(/time,channel_0,channel_1/);
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { Gadget } from '../../gadgets/core';
import { define } from '../../gadgets/core/test-helpers';
import type { Storage } from '../../storage';
import { IndexedDBStorage } from '../../storage/indexeddb/indexeddb-storage';
import { QueryStorage } from '../../storage/query/query-storage';
import { UuidStorage } from '../../storage/uuid/uuid-storage';
import type { CellLanguage } from '../notebook/notebook-document';
import { executeRequest, KernelSession, type KernelState } from './kernel-session';
import type { ContentOf, JupyterMessage, MessageType } from './messages';
import { TABLE_MIME } from './reprs';
import { appendSamples, createDataArray } from '../../storage/arrays';
import { newExperiment } from '../signals/experiment-document';
import { newSignal } from '../signals/signal-document';

class Host extends Gadget {}
const hostTag = define(Host);
const roots: Element[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) root.remove();
});

function setUp() {
  const storage: Storage = new QueryStorage(new UuidStorage(new IndexedDBStorage({ name: `kernel-${Math.random()}` })));
  const host = document.createElement(hostTag) as Host;
  document.body.append(host);
  roots.push(host);
  const messages: JupyterMessage[] = [];
  const states: KernelState[] = [];
  const kernel = new KernelSession({ gadget: host, storage: async () => storage, onMessage: (message) => void messages.push(message), onState: (state) => states.push(state) });
  const run = async (code: string, language: CellLanguage = 'javascript') => {
    const request = executeRequest(code, language, kernel.session);
    const reply = await kernel.execute(request);
    const own = messages.filter((message) => (message.parent_header as { msg_id?: string }).msg_id === request.header.msg_id);
    const of = <T extends MessageType>(type: T) => own.filter((message) => message.header.msg_type === type).map((message) => message.content as ContentOf[T]);
    return { request, reply, own, of, result: of('execute_result')[0]?.data['text/plain'] };
  };
  return { storage, host, kernel, messages, states, run };
}

describe('the notebook kernel (a worker speaking Jupyter messages)', () => {
  it('answers an execute_request with busy, input, result, idle and a reply, all pointing at the request', async () => {
    const { run, states } = setUp();
    const { request, reply, own } = await run('1 + 1');
    expect(own.map((message) => message.header.msg_type)).toEqual(['status', 'execute_input', 'execute_result', 'status']);
    expect(own[0]?.content).toEqual({ execution_state: 'busy' });
    expect(own[2]?.content).toEqual({ execution_count: 1, data: { 'text/plain': '2' }, metadata: {} });
    expect(own[3]?.content).toEqual({ execution_state: 'idle' });
    for (const message of own) expect(message).toMatchObject({ header: { version: '5.3', session: expect.any(String), msg_id: expect.any(String) }, parent_header: { msg_id: request.header.msg_id }, channel: 'iopub' });
    expect(reply).toMatchObject({ header: { msg_type: 'execute_reply' }, parent_header: { msg_id: request.header.msg_id }, content: { status: 'ok', execution_count: 1 } });
    expect(states).toContain('busy');
    expect(states.at(-1)).toBe('idle');
    // Started by the kernel host page (whose policy allows eval), in a hidden frame the service worker can serve
    // offline, not by the app itself (the worker's own opaque origin is checked below).
    expect(document.querySelector('iframe[hidden][src*="compute/kernel/kernel-host.html"]')).not.toBeNull();
  });

  it('keeps variables between cells, awaits at the top level, strips TypeScript types and counts executions', async () => {
    const { run } = setUp();
    await run('let total = 40; function add(a, b) { return a + b }');
    expect((await run('await new Promise((r) => setTimeout(r, 5)); add(total, 2)')).result).toBe('42');
    const typed = await run('const n: number = total as number;\ninterface P { x: number }\n({ x: n } satisfies P).x + 1', 'typescript');
    expect(typed.result).toBe('41');
    expect(typed.reply.content.execution_count).toBe(3);
  });

  it('streams console output, displays rich values and reports errors with ename, evalue and traceback', async () => {
    const { run } = setUp();
    const printed = await run('console.log("a", 1); console.error("careful"); await display(html("<b>bold</b>")); await display(new Float32Array([1, 2, 3]))');
    expect(printed.of('stream')).toEqual([{ name: 'stdout', text: 'a 1\n' }, { name: 'stderr', text: 'careful\n' }]);
    const shown = printed.of('display_data');
    expect(shown[0]?.data['text/html']).toBe('<b>bold</b>');
    expect(shown[1]?.data[TABLE_MIME]).toEqual({ columns: ['index', 'value'], rows: [[0, 1], [1, 2], [2, 3]], total: 3 });
    const failed = await run('null.x');
    expect(failed.reply.content.status).toBe('error');
    const [error] = failed.of('error');
    expect(error?.ename).toBe('TypeError');
    expect(error?.evalue).toMatch(/null/);
    expect(error?.traceback[0]).toMatch(/^TypeError: /);
    const syntax = await run('let = ;');
    expect(syntax.of('error')[0]?.ename).toBe('SyntaxError');
  });

  it('cannot reach the app: opaque origin, no DOM, no IndexedDB of the app', async () => {
    const { run } = setUp();
    expect((await run('self.origin')).result).toBe('null');
    expect((await run('typeof document')).result).toBe('undefined');
    const opened = await run('await new Promise((resolve) => { try { const r = indexedDB.open("fieldscope"); r.onsuccess = () => resolve("opened"); r.onerror = () => resolve(r.error.name) } catch (e) { resolve(e.name) } })');
    expect(opened.result).not.toBe('opened');
  });

  it('interrupt stops an endless loop; the notebook goes on with a fresh kernel whose state is gone', async () => {
    const { run, kernel } = setUp();
    await run('let kept = 1');
    const looping = run('while (true) {}');
    // Wait for the loop to be running (its busy status arrived) before interrupting.
    await new Promise((resolve) => setTimeout(resolve, 200));
    await kernel.interrupt();
    const stopped = await looping;
    expect(stopped.reply.content.status).toBe('aborted');
    expect((await run('typeof kept')).result).toBe('undefined');
    expect((await run('2 + 3')).result).toBe('5');
  });

  it('restart drops the variables', async () => {
    const { run, kernel } = setUp();
    await run('var gone = 5');
    await kernel.restart();
    expect((await run('typeof gone')).result).toBe('undefined');
  });

  it('reads arrays chunk by chunk, creates and appends arrays, and computes a spectrum, through the kernel API only', async () => {
    const { run } = setUp();
    const made = await run(`
      const rate = 1000;
      const samples = Float32Array.from({ length: 4096 }, (_, i) => Math.sin(2 * Math.PI * 125 * i / rate));
      const id = await fieldscope.createArray({ title: 'tone', dtype: 'float32', sampling_rate: rate }, samples.subarray(0, 1000));
      await fieldscope.append(id, samples.slice(1000));
      const sizes = [];
      for await (const { samples: chunk } of fieldscope.chunks(id, { size: 1024 })) sizes.push(chunk.length);
      const spectrum = await fieldscope.welch(id, { samplingRate: rate, segment: 1024 });
      const peak = spectrum.values[0].indexOf(Math.max(...spectrum.values[0]));
      ({ length: (await fieldscope.array(id)).length, sizes, peakHz: peak * spectrum.df, listed: (await fieldscope.documents('portal_type:="Data Array"')).length })
    `);
    expect(made.of('error')).toEqual([]);
    expect(made.result).toBe('{length: 4096, sizes: [1024, 1024, 1024, 1024], peakHz: 125, listed: 1}');
  });
});

describe('the kernel API beyond reads: statistics, pictures and graphs', () => {
  it('computes statistics per timeslice out of core, keeps a plot as an Image, and shows an array as a graph', async () => {
    const { run, storage } = setUp();
    const made = await run(`
      const rate = 10;
      // Six minutes at 10 Hz whose value is the minute's number: each minute's mean is known.
      const samples = Float64Array.from({ length: 3600 }, (_, i) => Math.floor(i / 600));
      const id = await fieldscope.createArray({ title: 'seconds', dtype: 'float64', sampling_rate: rate, start_time: '2026-01-05T10:00:00Z' }, samples);
      const stats = await fieldscope.statistics(id, { statistics: 'mean,max,p50', timeslice: 'minute', timeslice_is_static: true, start_date: '2026-01-05T10:00:00Z', time_zone: 'UTC' });
      const png = await fieldscope.plot(samples, { title: 'seconds', dx: 1 / rate, xLabel: 's' });
      const image = await fieldscope.saveImage(png, 'seconds plot', id);
      display(fieldscope.view(id));
      ({ slices: stats.slices.length, means: stats.slices.map((slice) => slice.channels[0].values.mean), image, type: png.type, bytes: png.size > 1000 })
    `);
    expect(made.of('error')).toEqual([]);
    const result = String(made.result ?? '');
    expect(result).toContain('slices: 6');
    expect(result).toContain('means: [0, 1, 2, 3, 4, 5]');
    expect(result).toContain('type: "image/png"');
    expect(result).toContain('bytes: true');
    const imageId = /image: "([^"]+)"/.exec(result)?.[1] ?? '';
    const image = await storage.get(imageId);
    expect(image).toMatchObject({ portal_type: 'Image', title: 'seconds plot', content_type: 'image/png' });
    const [shown] = made.of('display_data');
    expect(Object.keys(shown?.data ?? {})).toContain('application/vnd.fieldscope.array+json');
  });

  it('says what to fix for a bad statistics parameter', async () => {
    const { run } = setUp();
    const bad = await run(`
      const id = await fieldscope.createArray({ title: 't', dtype: 'float64', sampling_rate: 1, start_time: '2026-01-05T10:00:00Z' }, new Float64Array(10));
      await fieldscope.statistics(id, { statistics: 'mean', start_date: '2026-01-05T11:00:00Z', end_date: '2026-01-05T10:00:00Z' })
    `);
    expect(bad.of('error')[0]?.evalue).toMatch(/end_date|before/i);
  });
});

describe('Python cells (Pyodide in the kernel worker)', () => {
  it('keeps variables, prints, shows the last value, and reports exceptions with their Python traceback', async () => {
    const { run } = setUp();
    const first = await run('import math\ntotal = sum(range(10))\nprint("total", total)\nmath.sqrt(total + 55)', 'python');
    expect(first.of('error')).toEqual([]);
    expect(first.of('stream')).toEqual([{ name: 'stdout', text: 'total 45\n' }]);
    expect(first.result).toBe('10.0');
    expect((await run('[total, "two", {"a": 1}]', 'python')).result).toBe("[45, 'two', {'a': 1}]");
    const failed = await run('def f(x):\n    return 1 / x\n\nf(0)', 'python');
    expect(failed.reply.content.status).toBe('error');
    const [error] = failed.of('error');
    expect(error?.ename).toBe('ZeroDivisionError');
    expect(error?.evalue).toBe('division by zero');
    expect(error?.traceback.join('\n')).toMatch(/line 2, in f/);
    expect(error?.traceback.join('\n')).not.toMatch(/_pyodide/);
    const syntax = await run('def (', 'python');
    expect(syntax.of('error')[0]?.ename).toBe('SyntaxError');
  }, 120_000);

  it('reaches documents and arrays through the same kernel API as JavaScript cells, and displays HTML', async () => {
    const { run } = setUp();
    const made = await run(
      [
        'import fieldscope',
        'samples = [float(i % 4) for i in range(4000)]',
        "array_id = await fieldscope.createArray({'title': 'from python', 'dtype': 'float64', 'sampling_rate': 100, 'start_time': '2026-01-05T10:00:00Z'}, samples)",
        'part = await fieldscope.read(array_id, 0, 8)',
        "stats = await fieldscope.statistics(array_id, {'statistics': 'mean,max', 'timeslice': 'minute', 'timeslice_is_static': True, 'time_zone': 'UTC'})",
        "display(html('<i>from python</i>'))",
        "info = await fieldscope.array(array_id)",
        "(list(part), info.length, stats.slices[0].channels[0].values.mean)",
      ].join('\n'),
      'python',
    );
    expect(made.of('error')).toEqual([]);
    // A typed array's whole numbers reach Python as ints (Pyodide's conversion of JS numbers).
    expect(made.result).toBe('([0, 1, 2, 3, 0, 1, 2, 3], 4000, 1.5)');
    expect(made.of('display_data')[0]?.data['text/html']).toBe('<i>from python</i>');
    // Python and JavaScript cells of one notebook share the kernel's documents, not their variables.
    expect((await run('(await fieldscope.documents(\'portal_type:="Data Array"\')).length')).result).toBe('1');
  }, 120_000);
});

describe('named signals in the kernel', () => {
  it('reads a named signal as calibrated for an experiment, by range, and says why one does not resolve', async () => {
    const { run, storage } = setUp();
    const array = await createDataArray(storage, { title: 'probe', dtype: 'float32', channels: 2, sampling_rate: 10, start_time: '2024-06-01T10:00:00Z' });
    await appendSamples(storage, array, Float32Array.from({ length: 4000 }, (_, i) => (i % 2 === 0 ? 0 : (i - 1) / 2)));
    const shot = await storage.post(newExperiment({ name: 'Shot 1', start: '2024-06-01T10:00:00Z', end: '2024-06-01T10:10:00Z' }));
    const other = await storage.post(newExperiment({ name: 'Shot 2' }));
    const common = { since: '2024-01-01T00:00:00Z', units: { raw: 'V', calibrated: 'mA' }, channel: 1, array: { reference: array } };
    await storage.put('sig-i', newSignal({ name: 'Langmuir_I', units: 'mA', bindings: [{ ...common, id: 'b1', array: { id: array }, valid: { experiments: [shot] }, calibration: { kind: 'polynomial', coefficients: [1, 0, 1] } }] }));
    const read = await run(
      `const s = await fieldscope.signal('Langmuir_I', '${shot}');
       const stats = await s.statistics({ statistics: 'min,max,count', timeslice: 'hour', timeslice_is_static: true, time_zone: 'UTC' });
       let rows = 0; for await (const chunk of s.chunks({ size: 500 })) rows += chunk.samples.length;
       JSON.stringify([s.units, s.length, Array.from(await s.read(0, 4)), stats.slices[0].channels[0].values, rows, s.binding.id])`,
    );
    expect(read.of('error')).toEqual([]);
    // 1 + x² of channel 1 (0, 1, 2, 3…): 1, 2, 5, 10; max 1 + 1999².
    expect(JSON.parse(read.result as string)).toEqual(['mA', 2000, [1, 2, 5, 10], { min: 1, max: 3996002, count: 2000 }, 2000, 'b1']);
    await storage.put('sig-2i', { ...newSignal({ name: 'Twice_I', units: 'mA' }), formula: 'Langmuir_I * 2' });
    const derived = await run(`const d = await fieldscope.signal('Twice_I', '${shot}'); JSON.stringify([d.formula, d.length, Array.from(await d.read(1, 4))])`);
    expect(JSON.parse(derived.result as string)).toEqual(['Langmuir_I * 2', 2000, [4, 10, 20]]);
    const python = await run(['import fieldscope', `s = await fieldscope.signal('Langmuir_I', '${shot}')`, '(s.units, list(await s.read(0, 4)))'].join('\n'), 'python');
    expect(python.of('error')).toEqual([]);
    expect(python.result).toBe("('mA', [1, 2, 5, 10])");
    const missing = await run(`await fieldscope.signal('Langmuir_I', '${other}')`);
    expect(missing.of('error')[0]?.ename).toBe('SignalResolveError');
    expect(missing.of('error')[0]?.evalue).toContain('has no binding for experiment “Shot 2”');
  }, 120_000);
});

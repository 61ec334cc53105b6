// Browser side of `npm run bench:kernel`: trivial cells (`1+1`) run end to end as the notebook runs them (request →
// kernel worker → iopub messages stored as Output documents in IndexedDB → reply), the time from starting a kernel to
// its first result, and how long Interrupt takes to stop an endless loop.
import { Gadget } from '../gadgets/core';
import { createLocalStorage, type Storage } from '../storage';
import { executeRequest, KernelSession } from '../compute/kernel/kernel-session';
import { parentMsgId, type JupyterMessage } from '../compute/kernel/messages';
import { outputDocument } from '../compute/notebook/output-document';
import { OutputWriter } from '../compute/notebook/output-writer';

interface Options {
  executions: number;
}

class BenchNotebook extends Gadget {}
customElements.define('bench-kernel-notebook', BenchNotebook);

async function countOutputs(storage: Storage): Promise<number> {
  return (await storage.allDocs({ query: 'portal_type:="Output"' })).rows.length;
}

export async function run({ executions }: Options) {
  const storage = createLocalStorage(`bench-kernel-${Date.now()}`);
  const host = document.createElement('bench-kernel-notebook') as BenchNotebook;
  document.body.append(host);
  const sequences = new Map<string, number>();
  let failed: unknown;
  const writer = new OutputWriter(async () => storage, (error) => (failed ??= error));
  let saved = 0;
  /** Off: the messages still cross, but nothing is stored (what the kernel and its messaging cost alone). */
  let storing = true;
  const onMessage = (message: JupyterMessage): void => {
    const parent = parentMsgId(message);
    if (!storing) return;
    if (!parent) return;
    const sequence = sequences.get(parent) ?? 0;
    const output = outputDocument(message, { notebook: 'bench', cell: 'cell', sequence });
    if (!output) return;
    sequences.set(parent, sequence + 1);
    writer.save(output);
    saved += 1;
  };
  const opened = performance.now();
  const kernel = new KernelSession({ gadget: host, storage: async () => storage, onMessage });
  const first = await kernel.execute(executeRequest('1+1', 'javascript', kernel.session));
  const firstResultMs = performance.now() - opened;
  if (first.content.status !== 'ok') throw new Error(`the first cell failed: ${JSON.stringify(first.content)}`);

  for (let warm = 0; warm < 50; warm += 1) await kernel.execute(executeRequest('1+1', 'javascript', kernel.session));
  await writer.flush();
  const before = await countOutputs(storage);
  const t = performance.now();
  for (let index = 0; index < executions; index += 1) await kernel.execute(executeRequest('1+1', 'javascript', kernel.session));
  await writer.flush(); // the time counts every output stored
  const seconds = (performance.now() - t) / 1000;
  if (failed) throw failed;
  const stored = (await countOutputs(storage)) - before;
  if (stored !== executions) throw new Error(`${stored} outputs stored for ${executions} executions (${saved} saved in all)`);
  storing = false;
  const u = performance.now();
  for (let index = 0; index < executions; index += 1) await kernel.execute(executeRequest('1+1', 'javascript', kernel.session));
  const unstoredSeconds = (performance.now() - u) / 1000;

  // Interrupt: the loop is running (its busy status has had time to arrive) when Interrupt is pressed.
  const looping = kernel.execute(executeRequest('while (true) {}', 'javascript', kernel.session));
  await new Promise((resolve) => setTimeout(resolve, 300));
  const asked = performance.now();
  // Stopped: its request answered 'aborted'. Ready: a fresh kernel started, to run the next cell.
  const stoppedAt = looping.then(() => performance.now());
  await kernel.interrupt();
  const readyMs = performance.now() - asked;
  const stopped = await looping;
  const interruptMs = (await stoppedAt) - asked;
  if (stopped.content.status !== 'aborted') throw new Error('the endless loop was not stopped');
  const after = await kernel.execute(executeRequest('2+2', 'javascript', kernel.session));
  kernel.close();
  host.remove();
  return { executions, exec_per_s: executions / seconds, unstored_exec_per_s: executions / unstoredSeconds, first_result_ms: firstResultMs, interrupt_ms: interruptMs, ready_after_interrupt_ms: readyMs, usable_after: after.content.status === 'ok' };
}

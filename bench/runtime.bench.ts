// Browser side of `npm run bench:gadgets` (bench/runtime.mjs): method calls direct vs through an iframe sandbox vs a
// worker sandbox, and acquisitions through a few levels of gadgets. Sequential awaited calls: this is round-trip cost.
import { Gadget, acquisitionKey, type Remote } from '../gadgets/core';
import computeUrl from '../gadgets/core/testing/fixtures/compute.worker.ts?worker&url';
import type PublicFixture from '../gadgets/core/testing/fixtures/public-gadget';

const pingKey = acquisitionKey<[value: number], number>('bench-ping');

class BenchRoot extends Gadget {
  constructor() {
    super();
    this.provide(pingKey, (_request, value) => value + 1);
  }
}
class BenchLayer extends Gadget {}
customElements.define('bench-runtime-root', BenchRoot);
customElements.define('bench-runtime-layer', BenchLayer);

interface Adder {
  add(a: number, b: number): number;
}

/** Calls `call` in a loop for about `durationMs`, after a warm-up; returns calls per second. */
async function rate(call: (i: number) => Promise<unknown>, durationMs: number): Promise<number> {
  for (let i = 0; i < 200; i++) await call(i);
  let count = 0;
  const start = performance.now();
  let now = start;
  while (now - start < durationMs) {
    for (let i = 0; i < 100; i++) await call(count + i);
    count += 100;
    now = performance.now();
  }
  return (count / (now - start)) * 1000;
}

export async function run({ durationMs = 1500 }: { durationMs?: number } = {}): Promise<Record<string, number>> {
  const root = document.createElement('bench-runtime-root') as BenchRoot;
  document.body.append(root);
  let leaf: Gadget = root;
  for (let depth = 0; depth < 3; depth++) {
    const layer = document.createElement('bench-runtime-layer') as BenchLayer;
    leaf.append(layer);
    leaf = layer;
  }
  const direct = await root.declareGadget<PublicFixture>(() => import('../gadgets/core/testing/fixtures/public-gadget'), { scope: 'direct' });
  const iframe = await root.declareGadget<Remote<Adder>>(new URL('../gadgets/core/testing/fixtures/iframe-gadget.ts', import.meta.url).href, {
    sandbox: 'iframe',
    scope: 'iframe',
  });
  const worker = await root.declareGadget<Remote<Adder>>(computeUrl, { sandbox: 'worker', scope: 'worker' });

  const result = {
    direct_calls_per_s: await rate(async (i) => direct.double(i), durationMs),
    iframe_calls_per_s: await rate((i) => iframe.add(i, 1), durationMs),
    worker_calls_per_s: await rate((i) => worker.add(i, 1), durationMs),
    acquisitions_per_s: await rate((i) => leaf.acquire(pingKey, i), durationMs),
  };
  root.remove();
  return result;
}

import { afterEach, describe, expect, it } from 'vitest';
import computeUrl from './testing/fixtures/compute.worker.ts?worker&url';
import hostileUrl from './testing/fixtures/hostile.worker.ts?worker&url';
import { Gadget, GadgetDeclarationError, SandboxError, type Remote, type RemoteGadget } from './index';
import { define, tick } from './test-helpers';
import { echoKey, secretKey } from './testing/fixtures/keys';

interface Compute {
  sum(values: Float64Array): number;
  scale(values: Float64Array, factor: number): Float64Array;
  hang(options?: { signal?: AbortSignal }): Promise<never>;
  cancelledCount(): number;
  askEcho(text: string): Promise<string>;
  askSecret(): Promise<string>;
  fail(): never;
  where(): string;
}
type Child = Remote<Compute>;

class Parent extends Gadget {
  secretAsked = 0;
  constructor() {
    super();
    this.provide(echoKey, ({ scope }, text) => `${scope}: ${text}`);
    this.provide(secretKey, () => {
      this.secretAsked++;
      return 'the secret';
    });
  }
}
const parentTag = define(Parent);
const roots: Element[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) root.remove();
});
function mountParent(): Parent {
  const parent = document.createElement(parentTag) as Parent;
  document.body.append(parent);
  roots.push(parent);
  return parent;
}

describe('worker sandbox', () => {
  it('calls declared methods in a Worker, transferring buffers', async () => {
    const parent = mountParent();
    const child = await parent.declareGadget<Child>(computeUrl, { sandbox: 'worker', scope: 'compute' });
    expect(child.sandbox).toBe('worker');
    await expect(child.where()).resolves.toBe('worker');
    const values = new Float64Array([1, 2, 3.5]);
    await expect(child.sum(values)).resolves.toBe(6.5);
    expect(values.byteLength).toBe(0); // transferred
    const scaled = await child.scale(new Float64Array([1, 2]), 10);
    expect([...scaled]).toEqual([10, 20]);
  });

  it('refuses undeclared methods and keeps error names', async () => {
    const parent = mountParent();
    const child = await parent.declareGadget<Child>(computeUrl, { sandbox: 'worker', scope: 'compute' });
    await expect(child.call('secretMethod')).rejects.toBeInstanceOf(SandboxError);
    await expect(child.call('acquire', [{ name: 'echo' }])).rejects.toBeInstanceOf(SandboxError);
    await expect(child.fail()).rejects.toMatchObject({ name: 'TypeError', message: 'bad input for compute' });
  });

  it('cancels a running method when the caller aborts', async () => {
    const parent = mountParent();
    const child = await parent.declareGadget<Child>(computeUrl, { sandbox: 'worker', scope: 'compute' });
    const controller = new AbortController();
    const call = child.hang({ signal: controller.signal });
    await tick();
    controller.abort();
    await expect(call).rejects.toMatchObject({ name: 'AbortError' });
    let count = 0;
    for (let i = 0; i < 100 && count === 0; i++) {
      count = await child.cancelledCount();
      if (count === 0) await tick();
    }
    expect(count).toBe(1);
  });

  it('acquires only what the declaring gadget allows', async () => {
    const parent = mountParent();
    const child = await parent.declareGadget<Child>(computeUrl, { sandbox: 'worker', scope: 'calc', acquisitions: [echoKey] });
    await expect(child.askEcho('x')).resolves.toBe('calc: x');
    await expect(child.askSecret()).rejects.toMatchObject({ name: 'SandboxError', status: 403 });
    expect(parent.secretAsked).toBe(0);
  });

  it('a hostile worker speaking the protocol by hand gets refusals, not access', async () => {
    const parent = mountParent();
    const child = await parent.declareGadget<RemoteGadget>(hostileUrl, { sandbox: 'worker', scope: 'hostile', acquisitions: ['echo'] });
    const answers = (await child.call('results')) as Record<string, { ok: boolean; name?: string; status?: number; value?: unknown }>;
    expect(answers.callParent).toMatchObject({ ok: false, name: 'SandboxError', status: 400 });
    expect(answers.secret).toMatchObject({ ok: false, name: 'SandboxError', status: 403 });
    expect(answers.malformed).toMatchObject({ ok: false, name: 'SandboxError', status: 400 });
    expect(answers.echo).toMatchObject({ ok: true, value: 'hostile: from hostile' });
    expect(parent.secretAsked).toBe(0);
  });

  it('a worker script that fails to load rejects the declaration', async () => {
    const parent = mountParent();
    const failure = parent.declareGadget('/gadgets/core/testing/fixtures/does-not-exist.worker.js', { sandbox: 'worker', scope: 'missing', timeout: 5000 });
    await expect(failure).rejects.toBeInstanceOf(GadgetDeclarationError);
    await expect(failure).rejects.toMatchObject({ status: 502, message: expect.stringMatching(/does-not-exist\.worker\.js/) });
  });

  it('is terminated when dropped: pending calls reject', async () => {
    const parent = mountParent();
    const child = await parent.declareGadget<Child>(computeUrl, { sandbox: 'worker', scope: 'compute' });
    const pending = child.hang();
    await parent.dropGadget('compute');
    await expect(pending).rejects.toMatchObject({ name: 'SandboxError', status: 410 });
  });
});

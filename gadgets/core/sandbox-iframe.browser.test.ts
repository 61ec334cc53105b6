import { afterEach, describe, expect, it } from 'vitest';
import { GadgetDeclarationError, Gadget, SandboxError, type Remote } from './index';
import type IframeFixture from './testing/fixtures/iframe-gadget';
import { define, tick, until } from './test-helpers';
import { echoKey, secretKey, waitKey } from './testing/fixtures/keys';

const fixture = new URL('./testing/fixtures/iframe-gadget.ts', import.meta.url).href;
type Child = Remote<IframeFixture>;

class Parent extends Gadget {
  secretAsked = 0;
  waitSignals: AbortSignal[] = [];
  constructor() {
    super();
    this.provide(echoKey, ({ scope }, text) => `${scope}: ${text}`);
    this.provide(secretKey, () => {
      this.secretAsked++;
      return 'the secret';
    });
    this.provide(waitKey, ({ signal }) => {
      this.waitSignals.push(signal);
      return new Promise<string>(() => {});
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
function declare(parent: Parent, scope = 'sbx'): Promise<Child> {
  return parent.declareGadget<Child>(fixture, { sandbox: 'iframe', scope, acquisitions: ['echo', 'wait'] });
}

describe('iframe sandbox', () => {
  it('runs in <iframe sandbox="allow-scripts"> and announces only its declared methods that are functions', async () => {
    const parent = mountParent();
    const child = await declare(parent);
    expect(child.sandbox).toBe('iframe');
    expect(child.frame).toBeInstanceOf(HTMLIFrameElement);
    expect(child.frame!.getAttribute('sandbox')).toBe('allow-scripts');
    expect(child.frame!.isConnected).toBe(true);
    expect(child.methods).toContain('add');
    expect(child.methods).not.toContain('notAMethod');
    await expect(child.add(2, 3)).resolves.toBe(5);
    await expect(parent.getDeclaredGadget<Child>('sbx')).resolves.toBe(child);
  });

  it('forwards allowed acquisitions to the declaring gadget, with the child scope', async () => {
    const parent = mountParent();
    const child = await declare(parent, 'mine');
    await expect(child.askEcho('hi')).resolves.toBe('mine: hi');
  });

  it('refuses an acquisition the parent did not allow (its provider is never called)', async () => {
    const parent = mountParent();
    const child = await declare(parent);
    const refused = child.askSecret();
    await expect(refused).rejects.toBeInstanceOf(SandboxError);
    await expect(refused).rejects.toThrow(/may not acquire "secret"/);
    await expect(refused).rejects.toMatchObject({ status: 403 });
    expect(parent.secretAsked).toBe(0);
  });

  it('refuses undeclared methods, even ones the element has', async () => {
    const parent = mountParent();
    const child = await declare(parent);
    for (const name of ['connectedCallback', 'requestUpdate', 'notAMethod', 'constructor', '__proto__', 'toString']) {
      const refused = child.call(name, []);
      await expect(refused).rejects.toBeInstanceOf(SandboxError);
      await expect(refused).rejects.toThrow(/not a declared method/);
    }
    expect((child as unknown as Record<string, unknown>).connectedCallback).toBeUndefined();
  });

  it('cannot read the parent DOM, the app IndexedDB, cookies or localStorage', async () => {
    const parent = mountParent();
    document.title = 'parent title';
    const child = await declare(parent);
    const probe = await child.probe();
    expect(probe.origin).toBe('null');
    expect(probe.parentDom).toMatch(/^blocked: SecurityError/);
    expect(probe.indexedDB).toMatch(/^blocked: SecurityError/);
    expect(probe.cookie).toMatch(/^blocked: SecurityError/);
    expect(probe.localStorage).toMatch(/^blocked: SecurityError/);
  });

  it('transfers ArrayBuffers both ways instead of copying them', async () => {
    const parent = mountParent();
    const child = await declare(parent);
    const buffer = new Uint8Array(4096).fill(7).buffer;
    await expect(child.byteLength(buffer)).resolves.toBe(4096);
    expect(buffer.byteLength).toBe(0); // detached: it was moved, not cloned
    const back = await child.fill(1024, 9);
    expect(back).toBeInstanceOf(ArrayBuffer);
    expect(new Uint8Array(back)[1023]).toBe(9);
  });

  it('keeps the name and message of errors', async () => {
    const parent = mountParent();
    const child = await declare(parent);
    const failure = child.fail();
    await expect(failure).rejects.toMatchObject({ name: 'RangeError', message: 'value out of range' });
    await expect(failure).rejects.toBeInstanceOf(Error);
  });

  it('a parent cancellation aborts the child method run', async () => {
    const parent = mountParent();
    const child = await declare(parent);
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

  it('a cancelled child run cancels its acquisition in the parent (cancellation crosses both ways)', async () => {
    const parent = mountParent();
    const child = await declare(parent);
    const controller = new AbortController();
    const call = child.askWait({ signal: controller.signal });
    await until(() => parent.waitSignals.length === 1);
    expect(parent.waitSignals[0]!.aborted).toBe(false);
    controller.abort();
    await expect(call).rejects.toMatchObject({ name: 'AbortError' });
    await until(() => parent.waitSignals[0]!.aborted);
  });

  it('times out when the child never says ready, and removes the iframe', async () => {
    const parent = mountParent();
    const neverReady = new URL('./testing/fixtures/never-ready-gadget.ts', import.meta.url).href;
    const failure = parent.declareGadget(neverReady, { sandbox: 'iframe', scope: 'slow', timeout: 300 });
    await expect(failure).rejects.toBeInstanceOf(GadgetDeclarationError);
    await expect(failure).rejects.toMatchObject({ status: 504 });
    expect(parent.querySelector('iframe')).toBeNull();
  });

  it('reports a module that fails to load in the sandbox', async () => {
    const parent = mountParent();
    const broken = new URL('./testing/fixtures/broken-gadget.ts', import.meta.url).href;
    const failure = parent.declareGadget(broken, { sandbox: 'iframe', scope: 'broken' });
    await expect(failure).rejects.toBeInstanceOf(GadgetDeclarationError);
    await expect(failure).rejects.toThrow(/broken fixture module/);
  });

  it('is torn down when dropped: iframe removed, pending calls rejected', async () => {
    const parent = mountParent();
    const child = await declare(parent);
    const frame = child.frame!;
    const pending = child.hang();
    await parent.dropGadget('sbx');
    expect(frame.isConnected).toBe(false);
    await expect(pending).rejects.toMatchObject({ name: 'SandboxError', status: 410 });
    await expect(child.add(1, 1)).rejects.toMatchObject({ status: 410 });
    await expect(parent.getDeclaredGadget('sbx')).rejects.toMatchObject({ name: 'ScopeError' });
  });

  it('is torn down when the declaring gadget is detached, and starts again on re-attach', async () => {
    const parent = mountParent();
    const child = await declare(parent);
    parent.remove();
    expect(child.frame!.isConnected).toBe(false);
    await expect(child.add(1, 2)).rejects.toMatchObject({ status: 410 });
    document.body.append(parent);
    const again = await parent.getDeclaredGadget<Child>('sbx');
    expect(again).not.toBe(child);
    await expect(again.add(1, 2)).resolves.toBe(3);
  });

  it('takes the last element a module defines when the module exports nothing (standalone bundles)', async () => {
    const parent = mountParent();
    const url = new URL('./testing/fixtures/defines-only-gadget.ts', import.meta.url).href;
    const child = await parent.declareGadget<{ call(name: string, args?: unknown[]): Promise<unknown> }>(url, { sandbox: 'iframe', scope: 'bare' });
    await expect(child.call('whoAmI')).resolves.toBe('fs-defines-only');
  });

  it('ignores handshake messages from anything but its own iframe', async () => {
    const parent = mountParent();
    const started = declare(parent, 'guarded');
    // A forged hello from this window (wrong source, wrong origin, no token) must not get the port.
    window.postMessage({ type: 'fieldscope-sandbox-hello', token: 'guess' }, '*');
    const child = await started;
    await expect(child.add(20, 22)).resolves.toBe(42);
  });
});

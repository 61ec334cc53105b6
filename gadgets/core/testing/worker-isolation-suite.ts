// The isolation checks of worker gadgets, run for each way a worker gadget can start (sandbox-worker-*.browser.test.ts).
import { afterEach, describe, expect, it } from 'vitest';
import probeUrl from './fixtures/origin-probe.worker.ts?worker&url';
import type { OriginProbeReport } from './fixtures/origin-probe.worker';
import { Gadget, type RemoteGadget } from '../index';
import { define, tick, until } from '../test-helpers';
import { createLocalStorage } from '../../../storage/local-storage';

interface Probe extends RemoteGadget {
  probe(database: string): Promise<OriginProbeReport>;
  listen(name: string): Promise<void>;
  heard(): Promise<unknown[]>;
  broadcast(name: string, message: unknown): Promise<void>;
}

class Parent extends Gadget {}
const parentTag = define(Parent);
const roots: Element[] = [];
const channels: BroadcastChannel[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) root.remove();
  for (const channel of channels.splice(0)) channel.close();
});

function workerHostPages(): HTMLIFrameElement[] {
  return [...document.querySelectorAll<HTMLIFrameElement>('iframe[src*="worker-host.html"]')];
}

function openChannel(name: string): BroadcastChannel {
  const channel = new BroadcastChannel(name);
  channels.push(channel);
  return channel;
}

/** A few round trips to the worker: enough for a broadcast that reached the page to reach the worker too. */
async function settle(probe: Probe): Promise<void> {
  for (let i = 0; i < 20; i++) {
    await probe.heard();
    await tick();
  }
}

/** `fromSandboxPage`: the worker is expected to be started by the hidden sandbox page, not by the app itself. */
export function describeWorkerIsolation(label: string, { fromSandboxPage }: { fromSandboxPage: boolean }): void {
  async function startProbe(): Promise<Probe> {
    const parent = document.createElement(parentTag) as Parent;
    document.body.append(parent);
    roots.push(parent);
    const probe = await parent.declareGadget<Probe>(probeUrl, { sandbox: 'worker', scope: 'probe' });
    const pages = workerHostPages();
    expect(pages).toHaveLength(fromSandboxPage ? 1 : 0);
    if (fromSandboxPage) {
      expect(pages[0]!.hidden).toBe(true);
      expect(pages[0]!.getAttribute('sandbox')).toBe('allow-scripts');
    }
    return probe;
  }

  describe(`worker sandbox isolation, ${label} (a headless gadget gets no origin storage)`, () => {
    it('cannot open the app IndexedDB database or see its documents', async () => {
      const database = `fieldscope-isolation-${crypto.randomUUID()}`;
      const storage = createLocalStorage(database);
      await storage.put('secret-notes', { portal_type: 'Notebook', title: 'the secret' });
      await expect(storage.get('secret-notes')).resolves.toMatchObject({ title: 'the secret' });
      const probe = await startProbe();
      const report = await probe.probe(database);
      expect(report.origin).toBe('null');
      expect(report.appDocuments).toMatch(/^blocked: SecurityError/);
      expect(report.databases).toMatch(/^blocked: SecurityError/);
    });

    it('has no Cache Storage, no Web Locks and no cookies of the app, and is still a secure context', async () => {
      const probe = await startProbe();
      const report = await probe.probe('fieldscope');
      expect(report.secureContext).toBe(true); // crypto.subtle, WebGPU and the like stay available to compute
      expect(report.caches).toMatch(/^blocked: /);
      expect(report.locks).toMatch(/^blocked: /);
      expect(report.cookie).toBe('blocked: no document');
    });

    it("hears nothing on the app's BroadcastChannel names and cannot post on them", async () => {
      const name = `fieldscope-changes:isolation-${crypto.randomUUID()}`;
      const probe = await startProbe();
      await probe.listen(name);
      // app → worker: the page's own second listener proves the message was delivered.
      const pageListener = openChannel(name);
      const pageHeard: unknown[] = [];
      pageListener.onmessage = (event: MessageEvent) => pageHeard.push(event.data);
      openChannel(name).postMessage({ from: 'app' });
      await until(() => pageHeard.length === 1);
      await settle(probe);
      await expect(probe.heard()).resolves.toEqual([]);
      // worker → app: a forged change must not reach the app's listeners; the page's own message after it does.
      await probe.broadcast(name, { from: 'worker', id: 'forged' });
      openChannel(name).postMessage({ from: 'app', again: true });
      await until(() => pageHeard.length === 2);
      await settle(probe);
      expect(pageHeard).toEqual([{ from: 'app' }, { from: 'app', again: true }]);
    });
  });
}

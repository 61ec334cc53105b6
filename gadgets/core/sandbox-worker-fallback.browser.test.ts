import { describe, expect, it } from 'vitest';
import computeUrl from './testing/fixtures/compute.worker.ts?worker&url';
import { Gadget, type Remote } from './index';
import { define } from './test-helpers';
import { describeWorkerIsolation } from './testing/worker-isolation-suite';

// A policy refusing data: workers on this page (as an older browser giving them the app's origin makes the app refuse
// them): worker gadgets are then started by the hidden sandbox page, with the same isolation and the same protocol.
const policy = document.createElement('meta');
policy.httpEquiv = 'Content-Security-Policy';
policy.content = "worker-src 'self' blob:";
document.head.append(policy);

describeWorkerIsolation('started by the sandbox page', { fromSandboxPage: true });

describe('worker sandbox started by the sandbox page', () => {
  it('calls, transfers buffers, cancels and is removed with its page when dropped', async () => {
    class Parent extends Gadget {}
    const parent = document.createElement(define(Parent)) as Parent;
    document.body.append(parent);
    try {
      interface Compute {
        sum(values: Float64Array): number;
        hang(options?: { signal?: AbortSignal }): Promise<never>;
        cancelledCount(): number;
      }
      const child = await parent.declareGadget<Remote<Compute>>(computeUrl, { sandbox: 'worker', scope: 'compute' });
      const values = new Float64Array([1, 2, 3.5]);
      await expect(child.sum(values)).resolves.toBe(6.5);
      expect(values.byteLength).toBe(0); // transferred through the page's hop, not copied
      const controller = new AbortController();
      const call = child.hang({ signal: controller.signal });
      controller.abort();
      await expect(call).rejects.toMatchObject({ name: 'AbortError' });
      await expect(child.cancelledCount()).resolves.toBe(1);
      await parent.dropGadget('compute');
      expect(document.querySelector('iframe[src*="worker-host.html"]')).toBeNull();
    } finally {
      parent.remove();
    }
  });
});

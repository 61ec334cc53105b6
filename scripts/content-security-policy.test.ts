import { describe, expect, it } from 'vitest';
import { KERNEL_PAGES, pagePolicy } from './content-security-policy.mjs';

describe('content security policy', () => {
  it('allows eval only on the kernel host page (opaque origin), never on the app or the other sandbox pages', () => {
    expect(KERNEL_PAGES).toContain('compute/kernel/kernel-host.html');
    expect(pagePolicy('/dist/compute/kernel/kernel-host.html')).toMatch(/script-src [^;]*'unsafe-eval'/);
    for (const page of ['index.html', 'gadgets/core/sandbox/iframe.html', 'gadgets/core/sandbox/worker-host.html']) {
      expect(pagePolicy(page)).not.toMatch(/'unsafe-eval'/);
    }
  });
});

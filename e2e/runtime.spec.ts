import { test, expect } from '@playwright/test';

// The sandboxed-gadget page in the production build: it must be built as its own entry, its module scripts must load
// from an opaque origin (the server answers with CORS headers), and it must speak the handshake and the protocol.
// The test plays the parent's part by hand, so it needs no page of the app to use a sandbox.
test.describe('gadget sandbox page (production build)', () => {
  test('a sandboxed iframe says hello, takes the port, serves only declared methods', async ({ page }) => {
    await page.goto('./');
    const result = await page.evaluate(async () => {
      const token = crypto.randomUUID();
      const frame = document.createElement('iframe');
      frame.setAttribute('sandbox', 'allow-scripts');
      frame.src = `/gadgets/core/sandbox/iframe.html#${token}`;
      const hello = new Promise<{ origin: string; fromFrame: boolean }>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no hello from the sandbox page (did its scripts load?)')), 15_000);
        window.addEventListener('message', function onMessage(event) {
          const data = event.data as { type?: string; token?: string };
          if (data?.type !== 'fieldscope-sandbox-hello') return;
          clearTimeout(timer);
          window.removeEventListener('message', onMessage);
          resolve({ origin: event.origin, fromFrame: event.source === frame.contentWindow && data.token === token });
        });
      });
      document.body.append(frame);
      const greeting = await hello;
      // A gadget module the sandbox imports: a data: URL keeps the test independent of the app's pages.
      const gadget = `export default class extends HTMLElement {
        static declaredMethods = ['add'];
        add(a, b) { return a + b; }
        secret() { return 'leaked'; }
      }`;
      const channel = new MessageChannel();
      const replies: Record<number, unknown> = {};
      let ready: (methods: unknown) => void = () => {};
      const readyPromise = new Promise((resolve) => (ready = resolve));
      const waiting = new Map<number, (value: unknown) => void>();
      channel.port1.onmessage = (event) => {
        const message = event.data as { type: string; id?: number; methods?: unknown };
        if (message.type === 'ready' || message.type === 'failed') ready(message);
        if (message.type === 'response' && typeof message.id === 'number') {
          replies[message.id] = message;
          waiting.get(message.id)?.(message);
        }
      };
      frame.contentWindow!.postMessage(
        { type: 'fieldscope-sandbox-init', token, url: `data:text/javascript,${encodeURIComponent(gadget)}`, scope: 'e2e' },
        '*',
        [channel.port2],
      );
      const readyMessage = await readyPromise;
      const ask = (id: number, name: string, args: unknown[]) =>
        new Promise((resolve) => {
          waiting.set(id, resolve);
          channel.port1.postMessage({ type: 'request', id, kind: 'call', name, args, signals: [] });
        });
      const added = await ask(1, 'add', [20, 22]);
      const refused = await ask(2, 'secret', []);
      return { greeting, readyMessage, added, refused };
    });
    expect(result.greeting).toEqual({ origin: 'null', fromFrame: true });
    expect(result.readyMessage).toEqual({ type: 'ready', methods: ['add'] });
    expect(result.added).toMatchObject({ ok: true, value: 42 });
    expect(result.refused).toMatchObject({ ok: false, error: { name: 'SandboxError', status: 403 } });
  });
});

test.describe('gadget playground', () => {
  test('#/playground loads the template gadget into an iframe sandbox, lists its declared methods and calls one', async ({ page }) => {
    await page.goto('./#/playground');
    await expect(page.locator('fs-app header h1')).toHaveText('Gadget playground');
    await page.getByRole('button', { name: 'Load' }).click();
    await expect(page.getByRole('button', { name: 'Call' }).first()).toBeVisible({ timeout: 15_000 });
    const playground = page.locator('fs-gadget-playground');
    await expect(playground).toContainText('increment');
    await page.getByLabel('Arguments of increment (JSON array)').fill('[5]');
    await playground.locator('li', { hasText: 'increment' }).getByRole('button', { name: 'Call' }).click();
    await expect(playground.locator('.outcomes')).toContainText('increment → 5');
  });
});

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

  test('#/playground loads the worker template as a worker gadget and calls it', async ({ page }) => {
    await page.goto('./#/playground');
    await page.getByLabel('Sandbox').selectOption('worker');
    await expect(page.getByLabel('Gadget module URL')).toHaveValue(/template-worker/);
    await page.getByRole('button', { name: 'Load' }).click();
    const playground = page.locator('fs-gadget-playground');
    await expect(playground.locator('li', { hasText: 'sum' }).getByRole('button', { name: 'Call' })).toBeVisible({ timeout: 15_000 });
    await page.getByLabel('Arguments of sum (JSON array)').fill('[[1, 2, 3.5]]');
    await playground.locator('li', { hasText: 'sum' }).getByRole('button', { name: 'Call' }).click();
    await expect(playground.locator('.outcomes')).toContainText('sum → 6.5');
  });

  test('a link to a foreign module fills the form with iframe, not public, and runs nothing', async ({ page }) => {
    const foreign = 'http://example.invalid/gadget.js';
    await page.goto(`./#/playground?url=${encodeURIComponent(foreign)}&sandbox=public`);
    await expect(page.getByLabel('Gadget module URL')).toHaveValue(foreign);
    await expect(page.getByLabel('Sandbox')).toHaveValue('iframe');
    await expect(page.getByText('outside the app, so iframe is selected instead')).toBeVisible();
    await expect(page.locator('fs-gadget-playground .subject > *')).toHaveCount(0);
    await page.getByLabel('Sandbox').selectOption('public');
    await expect(page.getByText('full access to your data on this device')).toBeVisible();
    await page.getByRole('button', { name: 'Load' }).click();
    await expect(page.getByRole('alert')).toContainText('Not loaded');
  });
});

// The worker gadgets' sandbox page in the production build (used where the browser gives a data: worker the app's
// origin): built as its own entry, its script loads from an opaque origin, it starts the worker and passes the port on.
test.describe('worker gadget host page (production build)', () => {
  test('a hidden sandboxed page says hello, starts the worker gadget and hands it the port', async ({ page }) => {
    await page.goto('./#/playground');
    await page.getByLabel('Sandbox').selectOption('worker');
    const workerUrl = new URL(await page.getByLabel('Gadget module URL').inputValue(), page.url()).href;
    const result = await page.evaluate(async (url) => {
      const token = crypto.randomUUID();
      const frame = document.createElement('iframe');
      frame.setAttribute('sandbox', 'allow-scripts');
      frame.hidden = true;
      frame.src = `/gadgets/core/sandbox/worker-host.html#${token}`;
      const hello = new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no hello from the worker host page (did its scripts load?)')), 15_000);
        window.addEventListener('message', function onMessage(event) {
          const data = event.data as { type?: string; token?: string };
          if (data?.type !== 'fieldscope-sandbox-hello' || data.token !== token || event.source !== frame.contentWindow) return;
          clearTimeout(timer);
          window.removeEventListener('message', onMessage);
          resolve(event.origin);
        });
      });
      document.body.append(frame);
      const origin = await hello;
      const channel = new MessageChannel();
      const messages: { type: string; id?: number; ok?: boolean; value?: unknown; methods?: unknown }[] = [];
      const next = () => new Promise<(typeof messages)[number]>((resolve) => (channel.port1.onmessage = (event) => resolve(event.data)));
      const readyMessage = next();
      frame.contentWindow!.postMessage({ type: 'fieldscope-sandbox-init', token, url, scope: 'e2e' }, '*', [channel.port2]);
      const ready = await readyMessage;
      const values = new Float64Array([1, 2, 3.5]);
      const answer = next();
      channel.port1.postMessage({ type: 'request', id: 1, kind: 'call', name: 'sum', args: [values], signals: [] }, [values.buffer]);
      const summed = await answer;
      frame.remove();
      return { origin, ready, summed, transferred: values.byteLength === 0 };
    }, workerUrl);
    expect(result.origin).toBe('null');
    expect(result.ready).toEqual({ type: 'ready', methods: ['sum', 'scale'] });
    expect(result.summed).toMatchObject({ type: 'response', id: 1, ok: true, value: 6.5 });
    expect(result.transferred).toBe(true);
  });
});


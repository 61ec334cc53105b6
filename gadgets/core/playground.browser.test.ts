import { afterEach, describe, expect, it } from 'vitest';
import { Gadget, acquisitionKey } from './index';
import './playground/playground-gadget';
import type { GadgetPlayground } from './playground/playground-gadget';
import type TemplateGadget from './template/template-gadget';
import { define, until } from './test-helpers';

const notifyKey = acquisitionKey<[message: string, kind?: 'info' | 'error'], void>('notify');

class Root extends Gadget {
  messages: string[] = [];
  constructor() {
    super();
    this.provide(notifyKey, (_request, message) => void this.messages.push(message));
  }
}
const rootTag = define(Root);
const roots: Element[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) root.remove();
});

async function load(playground: GadgetPlayground, sandbox: 'iframe' | 'public' | 'worker', url?: string): Promise<void> {
  await playground.updateComplete;
  const form = playground.shadowRoot!.querySelector('form')!;
  form.querySelector('select')!.value = sandbox;
  if (url) form.querySelector('input')!.value = url;
  form.requestSubmit();
  await until(() => playground.methods.length > 0 || playground.loadError !== '', 15_000);
  expect(playground.loadError).toBe('');
}

async function call(playground: GadgetPlayground, method: string, args: string): Promise<string> {
  await playground.updateComplete;
  const before = playground.outcomes.length;
  const input = playground.shadowRoot!.querySelector<HTMLInputElement>(`input[data-method="${method}"]`)!;
  input.value = args;
  (input.nextElementSibling as HTMLButtonElement).click();
  await until(() => playground.outcomes.length > before, 10_000);
  return playground.outcomes[0]!.text;
}

/** A foreign module (a data: URL is outside the app's origin) that leaves a mark on the window when it runs here. */
const foreignUrl = `data:text/javascript,${encodeURIComponent(`
  globalThis.foreignGadgetRan = true;
  export default class extends HTMLElement { static declaredMethods = ['hello']; hello() { return 'hi'; } }
`)}`;
declare global {
  var foreignGadgetRan: boolean | undefined;
}

function mountPlayground(params: Record<string, string> = {}): { root: Root; playground: GadgetPlayground } {
  const root = document.createElement(rootTag) as Root;
  const playground = document.createElement('fs-gadget-playground') as GadgetPlayground;
  playground.params = params;
  root.append(playground);
  document.body.append(root);
  roots.push(root);
  return { root, playground };
}

describe('gadget playground and template gadget', () => {
  it('loads the template gadget in an iframe sandbox, lists its declared methods and calls them', async () => {
    const root = document.createElement(rootTag) as Root;
    const playground = document.createElement('fs-gadget-playground') as GadgetPlayground;
    root.append(playground);
    document.body.append(root);
    roots.push(root);
    await load(playground, 'iframe');
    expect(playground.methods).toEqual(['increment', 'greet', 'getCount']);
    expect(await call(playground, 'increment', '[2]')).toBe('2');
    expect(await call(playground, 'greet', '["Ada"]')).toBe('"Hello, Ada!"');
    expect(await call(playground, 'getCount', '')).toBe('2');
    expect(playground.shadowRoot!.querySelector('.subject iframe')?.getAttribute('sandbox')).toBe('allow-scripts');
    // The template acquires notify through the sandbox (the playground allows it) from the root.
    await until(() => root.messages.includes('Template gadget is running'));
  });

  it('loads it as a public gadget too, and shows load errors', async () => {
    const root = document.createElement(rootTag) as Root;
    const playground = document.createElement('fs-gadget-playground') as GadgetPlayground;
    root.append(playground);
    document.body.append(root);
    roots.push(root);
    // As a plain module URL: the default (a standalone bundle URL) is meant for sandboxes.
    await load(playground, 'public', new URL('./template/template-gadget.ts', import.meta.url).href);
    expect(await call(playground, 'increment', '5')).toBe('5');
    const template = playground.shadowRoot!.querySelector('.subject > *') as TemplateGadget;
    expect(template.getCount()).toBe(5);

    const form = playground.shadowRoot!.querySelector('form')!;
    form.querySelector('input')!.value = '/gadgets/core/testing/fixtures/no-such-gadget.ts';
    form.requestSubmit();
    await until(() => playground.loadError !== '');
    expect(playground.loadError).toMatch(/^GadgetDeclarationError/);
  });

  it('loads the worker template as a worker gadget (the URL follows the sandbox choice)', async () => {
    const { root, playground } = mountPlayground();
    await playground.updateComplete;
    const select = playground.shadowRoot!.querySelector('select')!;
    select.value = 'worker';
    select.dispatchEvent(new Event('change'));
    await playground.updateComplete;
    expect(playground.url).toMatch(/template-worker/);
    playground.shadowRoot!.querySelector('form')!.requestSubmit();
    await until(() => playground.methods.length > 0 || playground.loadError !== '', 15_000);
    expect(playground.loadError).toBe('');
    expect(playground.methods).toEqual(['sum', 'scale']);
    expect(await call(playground, 'sum', '[[1, 2, 3.5]]')).toBe('6.5');
    expect(await call(playground, 'scale', '[[1, 2], 3]')).toBe('[3,6]');
    await until(() => root.messages.includes('scaled 2 values by 3'));
  });

  it('a link to a foreign module never runs it, and never as public: iframe is selected instead', async () => {
    globalThis.foreignGadgetRan = undefined;
    const { playground } = mountPlayground({ url: foreignUrl, sandbox: 'public' });
    await playground.updateComplete;
    expect(playground.sandbox).toBe('iframe');
    expect(playground.shadowRoot!.querySelector('select')!.value).toBe('iframe');
    expect(playground.shadowRoot!.querySelector('.notice')?.textContent).toMatch(/outside the app, so iframe is selected/);
    expect(playground.methods).toEqual([]);
    expect(playground.shadowRoot!.querySelector('.subject')!.childElementCount).toBe(0);
    expect(globalThis.foreignGadgetRan).toBeUndefined();
  });

  it('a same-origin link keeps the sandbox it asks for (still not run until Load)', async () => {
    const url = new URL('./template/template-gadget.ts', import.meta.url).href;
    const { playground } = mountPlayground({ url, sandbox: 'public' });
    await playground.updateComplete;
    expect(playground.sandbox).toBe('public');
    expect(playground.shadowRoot!.querySelector('.subject')!.childElementCount).toBe(0);
  });

  it('refuses a foreign module as public until the user ticks that it gets full access to their data', async () => {
    globalThis.foreignGadgetRan = undefined;
    const { playground } = mountPlayground();
    await playground.updateComplete;
    const form = playground.shadowRoot!.querySelector('form')!;
    const input = form.querySelector<HTMLInputElement>('input[name="url"]')!;
    input.value = foreignUrl;
    input.dispatchEvent(new Event('input'));
    const select = form.querySelector('select')!;
    select.value = 'public';
    select.dispatchEvent(new Event('change'));
    await playground.updateComplete;
    const trust = form.querySelector<HTMLInputElement>('input[name="trust"]')!;
    expect(trust.closest('label')!.textContent).toMatch(/full access to your data on this device/);
    expect(trust.checked).toBe(false);
    form.requestSubmit();
    await until(() => playground.loadError !== '');
    expect(playground.loadError).toMatch(/^Not loaded: a module from outside the app runs as public only when you tick/);
    expect(globalThis.foreignGadgetRan).toBeUndefined();
    // Ticked: it runs as public (the user said so).
    trust.click();
    form.requestSubmit();
    await until(() => playground.methods.length > 0 || playground.loadError !== '', 15_000);
    expect(playground.loadError).toBe('');
    expect(globalThis.foreignGadgetRan).toBe(true);
    expect(await call(playground, 'hello', '')).toBe('"hi"');
  });

  it('a tick is for one URL: editing the URL asks again', async () => {
    const { playground } = mountPlayground({ url: foreignUrl });
    await playground.updateComplete;
    const form = playground.shadowRoot!.querySelector('form')!;
    const select = form.querySelector('select')!;
    select.value = 'public';
    select.dispatchEvent(new Event('change'));
    await playground.updateComplete;
    form.querySelector<HTMLInputElement>('input[name="trust"]')!.click();
    expect(playground.trustForeign).toBe(true);
    const input = form.querySelector<HTMLInputElement>('input[name="url"]')!;
    input.value = `${foreignUrl}%20`;
    input.dispatchEvent(new Event('input'));
    await playground.updateComplete;
    expect(playground.trustForeign).toBe(false);
    expect(form.querySelector<HTMLInputElement>('input[name="trust"]')!.checked).toBe(false);
  });
});

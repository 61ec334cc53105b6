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

async function load(playground: GadgetPlayground, sandbox: 'iframe' | 'public', url?: string): Promise<void> {
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
});

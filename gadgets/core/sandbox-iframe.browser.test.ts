import { afterEach, describe, expect, it } from 'vitest';
import { Gadget, type Remote } from './index';
import type IframeFixture from './testing/fixtures/iframe-gadget';
import { define } from './test-helpers';
import { echoKey } from './testing/fixtures/keys';

const fixture = new URL('./testing/fixtures/iframe-gadget.ts', import.meta.url).href;

class Parent extends Gadget {
  constructor() {
    super();
    this.provide(echoKey, ({ scope }, text) => `${scope}: ${text}`);
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

describe('iframe sandbox', () => {
  it('calls a declared method', async () => {
    const parent = mountParent();
    const child = await parent.declareGadget<Remote<IframeFixture>>(fixture, { sandbox: 'iframe', scope: 'sbx', acquisitions: ['echo'] });
    await expect(child.add(2, 3)).resolves.toBe(5);
    await expect(child.askEcho('hi')).resolves.toBe('sbx: hi');
  });
});

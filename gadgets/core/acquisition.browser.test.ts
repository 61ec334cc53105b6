import { afterEach, describe, expect, it } from 'vitest';
import { html } from 'lit';
import { AcquisitionError, Gadget, acquisitionKey, type AcquisitionRequest } from './index';
import { define, deferred, tick } from './test-helpers';

const greetKey = acquisitionKey<[name: string], string>('greet');
const slowKey = acquisitionKey<[], string>('slow');

class Leaf extends Gadget {}
const leafTag = define(Leaf);

class Provider extends Gadget {
  requests: AcquisitionRequest[] = [];
  label = 'provider';
  constructor() {
    super();
    this.provide(greetKey, (request, name) => {
      this.requests.push(request);
      return `${this.label}: hello ${name}`;
    });
  }
}
const providerTag = define(Provider);

/** Declines every request: the search goes on upward. */
class Decliner extends Gadget {
  asked = 0;
  constructor() {
    super();
    this.provide(greetKey, async () => {
      this.asked++;
      await tick(); // an async refusal still falls through
      throw new AcquisitionError('not here');
    });
  }
}
const declinerTag = define(Decliner);

/** Renders its child inside its shadow root: acquisition must cross it. */
class ShadowHost extends Gadget {
  override render() {
    return html`<div><slot></slot></div>`;
  }
}
const shadowHostTag = define(ShadowHost);

const roots: Element[] = [];
function mount<T extends Element>(element: T): T {
  document.body.append(element);
  roots.push(element);
  return element;
}
afterEach(() => {
  for (const root of roots.splice(0)) root.remove();
});

describe('acquisition', () => {
  it('is answered by the nearest providing ancestor, which receives the asking child scope', async () => {
    const outer = mount(document.createElement(providerTag) as Provider);
    outer.label = 'outer';
    const inner = document.createElement(providerTag) as Provider;
    inner.label = 'inner';
    outer.append(inner);
    const leaf = document.createElement(leafTag) as Leaf;
    leaf.setAttribute('data-gadget-scope', 'leafy');
    inner.append(leaf);
    await expect(leaf.acquire(greetKey, 'Ada')).resolves.toBe('inner: hello Ada');
    expect(inner.requests).toHaveLength(1);
    expect(inner.requests[0]!.scope).toBe('leafy');
    expect(inner.requests[0]!.path).toContain(`${leafTag}[leafy]`);
    expect(outer.requests).toHaveLength(0);
  });

  it('passes null as scope for an undeclared child, and the intermediate gadget scope to a farther provider', async () => {
    const outer = mount(document.createElement(providerTag) as Provider);
    const middle = document.createElement(leafTag) as Leaf;
    middle.setAttribute('data-gadget-scope', 'middle');
    outer.append(middle);
    const leaf = document.createElement(leafTag) as Leaf;
    middle.append(leaf);
    await expect(leaf.acquire(greetKey, 'x')).resolves.toBe('provider: hello x');
    expect(outer.requests[0]!.scope).toBe('middle');
    await expect(middle.acquire(greetKey, 'y')).resolves.toBe('provider: hello y');
    expect(outer.requests[1]!.scope).toBe('middle');
    const direct = document.createElement(leafTag) as Leaf;
    outer.append(direct);
    await direct.acquire(greetKey, 'z');
    expect(outer.requests[2]!.scope).toBeNull();
  });

  it('continues upward when a handler throws AcquisitionError', async () => {
    const outer = mount(document.createElement(providerTag) as Provider);
    const decliner = document.createElement(declinerTag) as Decliner;
    decliner.setAttribute('data-gadget-scope', 'decliner');
    outer.append(decliner);
    const leaf = document.createElement(leafTag) as Leaf;
    decliner.append(leaf);
    await expect(leaf.acquire(greetKey, 'Bo')).resolves.toBe('provider: hello Bo');
    expect(decliner.asked).toBe(1);
    // The farther provider sees the decliner's scope: the request comes from its child on the path.
    expect(outer.requests[0]!.scope).toBe('decliner');
  });

  it('fails at the root with AcquisitionError naming the method', async () => {
    const decliner = mount(document.createElement(declinerTag) as Decliner);
    const leaf = document.createElement(leafTag) as Leaf;
    decliner.append(leaf);
    const failure = leaf.acquire(greetKey, 'nobody');
    await expect(failure).rejects.toBeInstanceOf(AcquisitionError);
    await expect(failure).rejects.toThrow('no gadget provides greet');
    expect(decliner.asked).toBe(1);
    const lone = mount(document.createElement(leafTag) as Leaf);
    await expect(lone.acquire(slowKey)).rejects.toThrow('no gadget provides slow');
  });

  it('fails for a detached gadget, and a gadget does not answer its own request', async () => {
    const detached = document.createElement(providerTag) as Provider;
    await expect(detached.acquire(greetKey, 'me')).rejects.toThrow('no gadget provides greet');
    expect(detached.requests).toHaveLength(0);
  });

  it('crosses shadow roots (light children slotted and children rendered in the shadow root)', async () => {
    const provider = mount(document.createElement(providerTag) as Provider);
    const host = document.createElement(shadowHostTag) as ShadowHost;
    provider.append(host);
    await host.updateComplete;
    const inShadow = document.createElement(leafTag) as Leaf;
    host.shadowRoot!.querySelector('div')!.append(inShadow);
    await expect(inShadow.acquire(greetKey, 'shadow')).resolves.toBe('provider: hello shadow');
    // And a provider inside a shadow root answers gadgets nested further in.
    const innerProvider = document.createElement(providerTag) as Provider;
    innerProvider.label = 'shadow provider';
    host.shadowRoot!.append(innerProvider);
    const deep = document.createElement(leafTag) as Leaf;
    innerProvider.append(deep);
    await expect(deep.acquire(greetKey, 'deep')).resolves.toBe('shadow provider: hello deep');
  });

  it('propagates other handler errors unchanged to the asker', async () => {
    class Failing extends Gadget {
      constructor() {
        super();
        this.provide(greetKey, () => {
          throw new RangeError('bad name');
        });
      }
    }
    const failing = mount(document.createElement(define(Failing)) as Failing);
    const leaf = document.createElement(leafTag) as Leaf;
    failing.append(leaf);
    await expect(leaf.acquire(greetKey, '')).rejects.toThrow(RangeError);
  });

  it('gives the handler a signal aborted when the asker cancels, and rejects the asker at once', async () => {
    const seen = deferred<AbortSignal>();
    class Slow extends Gadget {
      constructor() {
        super();
        this.provide(slowKey, ({ signal }) => {
          seen.resolve(signal);
          return new Promise<string>(() => {}); // never answers by itself
        });
      }
    }
    const slow = mount(document.createElement(define(Slow)) as Slow);
    const leaf = document.createElement(leafTag) as Leaf;
    slow.append(leaf);
    const controller = new AbortController();
    const call = leaf.acquireWith({ signal: controller.signal }, slowKey);
    const signal = await seen.promise;
    expect(signal.aborted).toBe(false);
    controller.abort();
    await expect(call).rejects.toMatchObject({ name: 'AbortError' });
    expect(signal.aborted).toBe(true);
  });

  it('aborts the provider signal when the asking gadget is detached', async () => {
    const seen = deferred<AbortSignal>();
    class Slow extends Gadget {
      constructor() {
        super();
        this.provide(slowKey, ({ signal }) => {
          seen.resolve(signal);
          return new Promise<string>(() => {});
        });
      }
    }
    const slow = mount(document.createElement(define(Slow)) as Slow);
    const leaf = document.createElement(leafTag) as Leaf;
    slow.append(leaf);
    const call = leaf.acquire(slowKey);
    const signal = await seen.promise;
    leaf.remove();
    await expect(call).rejects.toMatchObject({ name: 'AbortError' });
    expect(signal.aborted).toBe(true);
  });
});

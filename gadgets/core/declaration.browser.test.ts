import { afterEach, describe, expect, it } from 'vitest';
import { html } from 'lit';
import { Gadget, GadgetDeclarationError, ScopeError, reportGadgetDeclarationErrorKey, reportServiceErrorKey } from './index';
import type PublicFixture from './testing/fixtures/public-gadget';
import { define, until } from './test-helpers';
import { echoKey } from './testing/fixtures/keys';

const publicUrl = new URL('./testing/fixtures/public-gadget.ts', import.meta.url).href;
const brokenUrl = new URL('./testing/fixtures/broken-gadget.ts', import.meta.url).href;
const missingUrl = new URL('./testing/fixtures/no-such-gadget.ts', import.meta.url).href;

class Parent extends Gadget {
  reports: { error: unknown; scope: string | null; argScope: string }[] = [];
  constructor() {
    super();
    this.provide(echoKey, ({ scope }, text) => `${scope}: ${text}`);
  }
}
const parentTag = define(Parent);

/** Renders children declared in HTML; handles its own declaration errors. */
class HtmlParent extends Gadget {
  static override properties = { url: { type: String } };
  declare url: string;
  reports: { error: unknown; scope: string }[] = [];
  constructor() {
    super();
    this.url = publicUrl;
    this.provide(echoKey, ({ scope }, text) => `${scope}: ${text}`);
    this.provide(reportGadgetDeclarationErrorKey, (_request, error, scope) => void this.reports.push({ error, scope }));
  }
  override render() {
    return html`<section>
      <div data-gadget-url=${this.url} data-gadget-scope="first"></div>
      <div data-gadget-url=${brokenUrl} data-gadget-scope="broken"></div>
    </section>`;
  }
}
const htmlParentTag = define(HtmlParent);

const roots: Element[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) root.remove();
});
function mount<T extends Element>(element: T): T {
  document.body.append(element);
  roots.push(element);
  return element;
}

describe('declareGadget / getDeclaredGadget / dropGadget', () => {
  it('loads a gadget module by URL, places it, gives it its scope; its methods and acquisitions work', async () => {
    const parent = mount(document.createElement(parentTag) as Parent);
    const container = document.createElement('div');
    parent.append(container);
    const child = await parent.declareGadget<PublicFixture>(publicUrl, { scope: 'calc', element: container });
    expect(child.parentElement).toBe(container);
    expect(child.gadgetScope).toBe('calc');
    expect(child.double(21)).toBe(42);
    await expect(child.askEcho('hi')).resolves.toBe('calc: hi');
    await expect(parent.getDeclaredGadget('calc')).resolves.toBe(child);
    expect(parent.declaredScopes()).toEqual(['calc']);
  });

  it('unknown scopes raise ScopeError; a dropped child is removed and unknown afterwards', async () => {
    const parent = mount(document.createElement(parentTag) as Parent);
    await expect(parent.getDeclaredGadget('nope')).rejects.toBeInstanceOf(ScopeError);
    await expect(parent.dropGadget('nope')).rejects.toBeInstanceOf(ScopeError);
    const child = await parent.declareGadget<PublicFixture>(publicUrl, { scope: 'calc' });
    expect(child.parentNode).toBe(parent);
    await parent.dropGadget('calc');
    expect(child.isConnected).toBe(false);
    await expect(parent.getDeclaredGadget('calc')).rejects.toBeInstanceOf(ScopeError);
  });

  it('declaring a scope again replaces the previous child', async () => {
    const parent = mount(document.createElement(parentTag) as Parent);
    const first = await parent.declareGadget<PublicFixture>(publicUrl, { scope: 'x' });
    const second = await parent.declareGadget<PublicFixture>(publicUrl, { scope: 'x' });
    expect(second).not.toBe(first);
    expect(first.isConnected).toBe(false);
    await expect(parent.getDeclaredGadget('x')).resolves.toBe(second);
  });

  it('a failing URL rejects with GadgetDeclarationError; the failure is cached per URL', async () => {
    const parent = mount(document.createElement(parentTag) as Parent);
    const first = parent.declareGadget(missingUrl, { scope: 'a' });
    await expect(first).rejects.toBeInstanceOf(GadgetDeclarationError);
    const firstError = (await first.catch((error: unknown) => error)) as GadgetDeclarationError;
    const secondError = (await parent.declareGadget(missingUrl, { scope: 'b' }).catch((error: unknown) => error)) as GadgetDeclarationError;
    // The same load failure, not a new attempt.
    expect(secondError.cause).toBe(firstError.cause);
    expect(secondError.scope).toBe('b');
    await expect(parent.getDeclaredGadget('a')).rejects.toBe(firstError);
  });
});

describe('declaration in HTML (data-gadget-url / scope / sandbox)', () => {
  it('loads children declared in the rendered HTML once the gadget renders (not before)', async () => {
    const parent = document.createElement(htmlParentTag) as HtmlParent;
    expect(parent.declaredScopes()).toEqual([]);
    await expect(parent.getDeclaredGadget('first')).rejects.toBeInstanceOf(ScopeError);
    mount(parent);
    await parent.updateComplete;
    const child = await parent.getDeclaredGadget<PublicFixture>('first');
    expect(child.parentElement).toBe(parent.shadowRoot!.querySelector('[data-gadget-scope="first"]'));
    await expect(child.askEcho('from html')).resolves.toBe('first: from html');
  });

  it('reports a failed load to the declaring gadget (reportGadgetDeclarationError) and caches it', async () => {
    const parent = mount(document.createElement(htmlParentTag) as HtmlParent);
    await until(() => parent.reports.length > 0);
    expect(parent.reports).toHaveLength(1);
    expect(parent.reports[0]!.scope).toBe('broken');
    expect(parent.reports[0]!.error).toBeInstanceOf(GadgetDeclarationError);
    expect((parent.reports[0]!.error as Error).message).toMatch(/broken fixture module/);
    await expect(parent.getDeclaredGadget('broken')).rejects.toBe(parent.reports[0]!.error);
    // A re-render does not declare (or report) it again.
    parent.requestUpdate();
    await parent.updateComplete;
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(parent.reports).toHaveLength(1);
  });

  it('without a handler in the declaring gadget, the failure goes up the tree, then to reportServiceError', async () => {
    class Plain extends Gadget {
      override render() {
        return html`<div data-gadget-url=${missingUrl} data-gadget-scope="lost"></div>`;
      }
    }
    class Root extends Gadget {
      declarationReports: string[] = [];
      serviceReports: unknown[] = [];
      constructor() {
        super();
        this.provide(reportGadgetDeclarationErrorKey, ({ scope }, _error, failedScope) => {
          this.declarationReports.push(`${scope}/${failedScope}`);
        });
      }
    }
    const root = mount(document.createElement(define(Root)) as Root);
    const plain = document.createElement(define(Plain)) as Plain;
    plain.setAttribute('data-gadget-scope', 'plain');
    root.append(plain);
    await until(() => root.declarationReports.length > 0);
    expect(root.declarationReports).toEqual(['plain/lost']);

    class ServiceRoot extends Gadget {
      serviceReports: unknown[] = [];
      constructor() {
        super();
        this.provide(reportServiceErrorKey, (_request, error) => void this.serviceReports.push(error));
      }
    }
    const serviceRoot = mount(document.createElement(define(ServiceRoot)) as ServiceRoot);
    serviceRoot.append(document.createElement(define(class extends Plain {})));
    await until(() => serviceRoot.serviceReports.length > 0);
    expect(serviceRoot.serviceReports[0]).toBeInstanceOf(GadgetDeclarationError);
  });

  it('children declared inside a nested gadget belong to that gadget', async () => {
    class Inner extends Gadget {
      override render() {
        return html`<div data-gadget-url=${publicUrl} data-gadget-scope="inner-child"></div>`;
      }
    }
    const innerTag = define(Inner);
    class Outer extends Gadget {
      override render() {
        return html`<div data-gadget-url=${publicUrl} data-gadget-scope="outer-child"></div>`;
      }
    }
    const outer = mount(document.createElement(define(Outer)) as Outer);
    const inner = document.createElement(innerTag) as Inner;
    outer.append(inner); // light DOM child of outer
    const light = document.createElement('div');
    light.setAttribute('data-gadget-url', publicUrl);
    light.setAttribute('data-gadget-scope', 'light-of-inner');
    inner.append(light);
    await outer.updateComplete;
    await inner.updateComplete;
    await outer.getDeclaredGadget('outer-child');
    await inner.getDeclaredGadget('inner-child');
    await inner.getDeclaredGadget('light-of-inner');
    expect(outer.declaredScopes()).toEqual(['outer-child']);
    expect(inner.declaredScopes().sort()).toEqual(['inner-child', 'light-of-inner']);
  });

  it('an unknown data-gadget-sandbox value is reported, not guessed', async () => {
    class Odd extends Gadget {
      reports: unknown[] = [];
      constructor() {
        super();
        this.provide(reportGadgetDeclarationErrorKey, (_request, error) => void this.reports.push(error));
      }
      override render() {
        return html`<div data-gadget-url=${publicUrl} data-gadget-scope="odd" data-gadget-sandbox="frame"></div>`;
      }
    }
    const odd = mount(document.createElement(define(Odd)) as Odd);
    await until(() => odd.reports.length > 0);
    expect((odd.reports[0] as Error).message).toMatch(/data-gadget-sandbox="frame"/);
  });

  it('data-gadget-sandbox="iframe" in HTML starts a sandboxed child', async () => {
    class WithFrame extends Gadget {
      constructor() {
        super();
        this.provide(echoKey, ({ scope }, text) => `${scope}: ${text}`);
      }
      override render() {
        return html`<div
          data-gadget-url=${new URL('./testing/fixtures/iframe-gadget.ts', import.meta.url).href}
          data-gadget-scope="framed"
          data-gadget-sandbox="iframe"
          data-gadget-acquisitions="echo"
        ></div>`;
      }
    }
    const host = mount(document.createElement(define(WithFrame)) as WithFrame);
    const child = await host.getDeclaredGadget<{ call(name: string, args: unknown[]): Promise<unknown> }>('framed');
    await expect(child.call('askEcho', ['hello'])).resolves.toBe('framed: hello');
    expect(host.shadowRoot!.querySelector('[data-gadget-scope="framed"] > iframe')).not.toBeNull();
  });
});

describe('declaring from a loader function', () => {
  it('accepts () => import(...) for public gadgets (bundled with the app), and refuses it for sandboxes', async () => {
    const parent = mount(document.createElement(parentTag) as Parent);
    const loader = () => import('./testing/fixtures/public-gadget');
    const child = await parent.declareGadget<PublicFixture>(loader, { scope: 'bundled' });
    expect(child.double(4)).toBe(8);
    await expect(parent.declareGadget(loader, { scope: 'framed', sandbox: 'iframe' })).rejects.toMatchObject({ status: 400 });
  });
});

import { GadgetDeclarationError } from './errors';

/** What a gadget module exports: the element class as default export, optionally its tag name. */
export interface GadgetModule {
  default: CustomElementConstructor;
  tagName?: string;
}

// One load per URL; a failed load stays cached (renderJS does the same): declaring it again fails at once.
const modules = new Map<string, Promise<GadgetModule>>();
let generated = 0;

/** Resolves a gadget URL against the document (or worker) base. */
export function resolveGadgetUrl(url: string | URL): string {
  const base = typeof document !== 'undefined' ? document.baseURI : self.location.href;
  return new URL(String(url), base).href;
}

/** Imports a gadget module once per URL. Rejects (and keeps rejecting) when the URL fails or exports no element class. */
export function loadGadgetModule(url: string | URL): Promise<GadgetModule> {
  const href = resolveGadgetUrl(url);
  let loading = modules.get(href);
  if (!loading) {
    loading = (import(/* @vite-ignore */ href) as Promise<Partial<GadgetModule>>).then((module) => {
      if (typeof module.default !== 'function') {
        throw new GadgetDeclarationError(href, '', `${href} has no default export: a gadget module exports its element class as default`, 422);
      }
      return module as GadgetModule;
    });
    loading.catch(() => {});
    modules.set(href, loading);
  }
  return loading;
}

/** Creates the module's element, defining it under a generated tag name when the module did not define it. */
export function createGadgetElement(module: GadgetModule): HTMLElement {
  const cls = module.default;
  let tag = customElements.getName(cls) ?? undefined;
  if (!tag) {
    tag = module.tagName && !customElements.get(module.tagName) ? module.tagName : `fs-gadget-${++generated}`;
    customElements.define(tag, cls);
  }
  return document.createElement(tag);
}

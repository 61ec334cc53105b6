import { GadgetDeclarationError } from './errors';

/** What a gadget module exports: the element class as default export, optionally its tag name. */
export interface GadgetModule {
  default: CustomElementConstructor;
  tagName?: string;
}

/** A gadget module URL, or a loader such as `() => import('./graph-gadget')` (bundled with the app: works in builds). */
export type GadgetSource = string | URL | (() => Promise<unknown>);

// One load per URL (or loader); a failed load stays cached (renderJS does the same): declaring it again fails at once.
const modules = new Map<string | (() => Promise<unknown>), Promise<GadgetModule>>();
let generated = 0;

/** Resolves a gadget URL against the document (or worker) base. */
export function resolveGadgetUrl(url: string | URL): string {
  const base = typeof document !== 'undefined' ? document.baseURI : self.location.href;
  return new URL(String(url), base).href;
}

/** A printable name for a source (error messages). */
export function describeSource(source: GadgetSource): string {
  return typeof source === 'function' ? `loader ${source.name || source.toString().slice(0, 80)}` : String(source);
}

/** Imports a gadget module once per source. Rejects (and keeps rejecting) when it fails or exports no element class. */
export function loadGadgetModule(source: GadgetSource): Promise<GadgetModule> {
  const key = typeof source === 'function' ? source : resolveGadgetUrl(source);
  let loading = modules.get(key);
  if (!loading) {
    const imported = typeof key === 'function' ? key() : import(/* @vite-ignore */ key);
    loading = (imported as Promise<Partial<GadgetModule>>).then((module) => {
      if (typeof module?.default !== 'function') {
        const name = describeSource(source);
        throw new GadgetDeclarationError(name, '', `${name} has no default export: a gadget module exports its element class as default`, 422);
      }
      return module as GadgetModule;
    });
    loading.catch(() => {});
    modules.set(key, loading);
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

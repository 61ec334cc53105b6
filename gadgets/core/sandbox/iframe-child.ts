// Runs inside the sandboxed iframe (iframe.html): handshake with the parent, load the gadget module, serve it.
// Deliberately independent of the Gadget class identity (duck-typed acquire events), so a gadget bundle carrying its
// own copy of the runtime still works here.
import { serializeError, type Endpoint, type WireMessage } from './protocol';
import { awaitFrameInit } from './frame-handshake';
import { declaredMethodsOf, serveChild } from './child';
import { createGadgetElement, resolveGadgetUrl, type GadgetModule } from '../module-loader';
import { GadgetDeclarationError } from '../errors';

// Bundlers drop the exports of a standalone bundle (e.g. Vite `?worker&url`), so a module may only define its element.
// This page loads one gadget, so the last element defined while its module ran is that gadget (its own children's
// modules are evaluated before it).
const definedNames: string[] = [];
const define = customElements.define.bind(customElements);
customElements.define = (name: string, constructor: CustomElementConstructor, options?: ElementDefinitionOptions) => {
  define(name, constructor, options);
  definedNames.push(name);
};

async function loadSandboxedModule(url: string): Promise<GadgetModule> {
  const href = resolveGadgetUrl(url);
  const module = (await import(/* @vite-ignore */ href)) as Partial<GadgetModule>;
  if (typeof module.default === 'function') return module as GadgetModule;
  const last = definedNames.at(-1);
  const defined = last ? customElements.get(last) : undefined;
  if (!defined) {
    throw new GadgetDeclarationError(href, '', `${href} neither exports an element class as default nor defines a custom element`, 422);
  }
  return { default: defined };
}

async function start(port: MessagePort, url: string, scope: string | null): Promise<void> {
  let endpoint: Endpoint | undefined;
  try {
    const module = await loadSandboxedModule(url);
    const element = createGadgetElement(module);
    if (scope !== null) element.setAttribute('data-gadget-scope', scope);
    const declared = (module.default as { declaredMethods?: unknown }).declaredMethods;
    const methods = declaredMethodsOf(element, Array.isArray(declared) ? declared : []);
    endpoint = serveChild(port, element, methods);
    // Requests no gadget in this page answered reach the window: they go to the parent, which decides.
    const channel = endpoint;
    window.addEventListener('fieldscope-acquire', (event) => {
      const request = event as Event & { name?: unknown; args?: unknown; signal?: unknown; result?: unknown };
      if (request.result !== undefined || typeof request.name !== 'string' || !Array.isArray(request.args)) return;
      request.result = channel.request('acquire', request.name, request.args, request.signal instanceof AbortSignal ? request.signal : undefined);
    });
    document.body.append(element);
    await (element as { updateComplete?: Promise<unknown> }).updateComplete;
    endpoint.post({ type: 'ready', methods });
  } catch (error) {
    const failed: WireMessage = { type: 'failed', error: serializeError(error) };
    if (endpoint) endpoint.post(failed);
    else {
      port.postMessage(failed);
    }
  }
}

awaitFrameInit(({ port, url, scope }) => void start(port, url, scope));

// Children a gadget declares (renderJS declareGadget / getDeclaredGadget / dropGadget and data-gadget-* HTML).
import { abortError } from './cancel';
import { GadgetDeclarationError, ScopeError } from './errors';
import { createGadgetElement, describeSource, loadGadgetModule, type GadgetSource } from './module-loader';
import { startIframeSandbox, startWorkerSandbox, type ChildAcquisitionAnswer, type SandboxHandle } from './sandbox/host';

/** `public`: the child is an element in this document; `iframe` / `worker`: it runs sandboxed and is reached by proxy. */
export type SandboxKind = 'public' | 'iframe' | 'worker';

/** Options of `declareGadget`. */
export interface DeclareOptions {
  /** The child's name in this gadget (getDeclaredGadget / dropGadget). Default: a generated unique scope. */
  scope?: string;
  /** Default `public`. */
  sandbox?: SandboxKind;
  /** Where the child element (or iframe) goes. Default: the declaring gadget's own light DOM. Unused for workers. */
  element?: HTMLElement;
  /** Sandboxes only: acquisition names (or keys) the child may make; everything else is refused. Default none. */
  acquisitions?: readonly (string | { name: string })[];
  /** Sandboxes only: ms the child has to say ready. Default 10 000. */
  timeout?: number;
  /**
   * Workers only: the URL of a page of the app that starts the worker (like gadgets/core/sandbox/worker-host.html,
   * loading worker-host.ts), always, instead of the app starting it. The worker inherits that page's
   * Content-Security-Policy: for a worker that needs a policy the app's pages must not have (a notebook kernel
   * evaluating the user's code needs 'unsafe-eval'). The page is loaded in a hidden same-origin frame, so it works
   * offline; the worker is opaque still, and does not start in a browser that gives data: workers their creator's
   * origin (Chromium before 149). Default: the app starts it (see startWorkerSandbox).
   */
  workerHost?: string;
}

interface ChildEntry {
  source: GadgetSource;
  url: string;
  scope: string;
  sandbox: SandboxKind;
  container: HTMLElement | undefined;
  allow: Set<string>;
  timeout: number;
  workerHost: string | undefined;
  fromHtml: boolean;
  controller: AbortController;
  /** undefined when a sandbox was torn down by detach: started again on re-attach or next getDeclaredGadget. */
  ready: Promise<unknown> | undefined;
  element: HTMLElement | undefined;
  handle: SandboxHandle | undefined;
}

/** What the registry needs from its gadget. */
export interface DeclaringHost extends HTMLElement {
  readonly isStarted: boolean;
  answerChildAcquisition(name: string, args: unknown[], scope: string | null, signal: AbortSignal): Promise<unknown>;
  reportGadgetDeclarationError(error: unknown, scope: string): void;
}

const DEFAULT_TIMEOUT = 10_000;
let generatedScopes = 0;

function isSandboxKind(value: string): value is SandboxKind {
  return value === 'public' || value === 'iframe' || value === 'worker';
}

/** @internal The declared children of one gadget. */
export class DeclaredChildren {
  private readonly entries = new Map<string, ChildEntry>();
  private readonly processed = new WeakSet<Element>();

  constructor(private readonly host: DeclaringHost) {}

  declare(source: GadgetSource, options: DeclareOptions, fromHtml = false): Promise<unknown> {
    const scope = options.scope ?? `__gadget_${++generatedScopes}`;
    const sandbox = options.sandbox ?? 'public';
    if (this.entries.has(scope)) this.drop(scope);
    if (typeof source === 'function' && sandbox !== 'public') {
      return Promise.reject(new GadgetDeclarationError(describeSource(source), scope, `a ${sandbox} sandbox needs a URL: a loader function cannot cross into the sandbox`, 400));
    }
    const entry: ChildEntry = {
      source,
      url: describeSource(source),
      scope,
      sandbox,
      container: options.element,
      allow: new Set((options.acquisitions ?? []).map((item) => (typeof item === 'string' ? item : item.name))),
      timeout: options.timeout ?? DEFAULT_TIMEOUT,
      workerHost: options.workerHost,
      fromHtml,
      controller: new AbortController(),
      ready: undefined,
      element: undefined,
      handle: undefined,
    };
    this.entries.set(scope, entry);
    return this.start(entry);
  }

  get(scope: string): Promise<unknown> {
    this.scan();
    const entry = this.entries.get(scope);
    if (!entry) return Promise.reject(new ScopeError(scope));
    return entry.ready ?? this.start(entry);
  }

  drop(scope: string): void {
    const entry = this.entries.get(scope);
    if (!entry) throw new ScopeError(scope, `cannot drop "${scope}": no gadget is declared with this scope`);
    this.entries.delete(scope);
    entry.controller.abort(abortError('gadget dropped'));
    entry.handle?.close();
    entry.element?.remove();
  }

  /** Scopes currently declared, in declaration order. */
  scopes(): string[] {
    return [...this.entries.keys()];
  }

  /** The host was detached: sandboxes are torn down (an iframe would reload anyway when moved). */
  detached(): void {
    for (const entry of this.entries.values()) {
      if (entry.sandbox === 'public') continue;
      entry.controller.abort(abortError('declaring gadget detached'));
      entry.handle?.close();
      entry.handle = undefined;
      entry.ready = undefined;
    }
  }

  /** The host was attached: restart torn-down sandboxes, declare children written in HTML. */
  attached(): void {
    for (const entry of this.entries.values()) if (!entry.ready) void this.start(entry).catch(() => {});
    this.scan();
  }

  /**
   * Declares the elements with `data-gadget-url` in this gadget's light DOM and render root that belong to it (not to
   * a nested gadget). Each is loaded once; its failure is reported to the host (reportGadgetDeclarationError).
   */
  scan(): void {
    const roots: ParentNode[] = [this.host];
    const renderRoot = this.host.shadowRoot;
    if (renderRoot) roots.push(renderRoot);
    for (const root of roots) {
      for (const element of root.querySelectorAll<HTMLElement>('[data-gadget-url]')) {
        if (this.processed.has(element) || !this.owns(element)) continue;
        this.processed.add(element);
        const url = element.getAttribute('data-gadget-url') ?? '';
        const sandboxAttribute = element.getAttribute('data-gadget-sandbox') || 'public';
        const scope = element.getAttribute('data-gadget-scope') ?? undefined;
        const acquisitions = (element.getAttribute('data-gadget-acquisitions') ?? '').split(/\s+/).filter(Boolean);
        const declared = isSandboxKind(sandboxAttribute)
          ? this.declare(url, { ...(scope !== undefined ? { scope } : {}), sandbox: sandboxAttribute, element, acquisitions }, true)
          : Promise.reject(new GadgetDeclarationError(url, scope ?? '', `data-gadget-sandbox="${sandboxAttribute}" is not one of public, iframe, worker`, 400));
        declared.catch((error: unknown) => this.host.reportGadgetDeclarationError(error, scope ?? ''));
      }
    }
  }

  private owns(element: Element): boolean {
    let node: Node | null = element.parentNode;
    while (node) {
      if (node === this.host || node === this.host.shadowRoot) return true;
      if (node instanceof Element && typeof (node as Partial<DeclaringHost>).answerChildAcquisition === 'function') return false;
      node = node.parentNode ?? (node instanceof ShadowRoot ? node.host : null);
    }
    return false;
  }

  private start(entry: ChildEntry): Promise<unknown> {
    if (entry.controller.signal.aborted) entry.controller = new AbortController();
    const signal = entry.controller.signal;
    const ready = this.load(entry, signal);
    entry.ready = ready;
    ready.catch(() => {});
    return ready;
  }

  private async load(entry: ChildEntry, signal: AbortSignal): Promise<unknown> {
    const { url, scope } = entry;
    if (entry.sandbox === 'public') {
      let module;
      try {
        module = await loadGadgetModule(entry.source);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new GadgetDeclarationError(url, scope, `cannot load the gadget "${scope}" from ${url}: ${reason}`, 502, { cause: error });
      }
      if (signal.aborted) throw signal.reason ?? abortError();
      const element = createGadgetElement(module);
      const child = element as HTMLElement & { setGadgetScope?: (scope: string) => void };
      if (typeof child.setGadgetScope === 'function') child.setGadgetScope(scope);
      else element.setAttribute('data-gadget-scope', scope);
      (entry.container ?? this.host).append(element);
      entry.element = element;
      return element;
    }
    const answer: ChildAcquisitionAnswer = (name, args, callSignal) => this.host.answerChildAcquisition(name, args, scope, callSignal);
    const options = { url, scope, container: entry.container ?? this.host, allow: entry.allow, answer, timeout: entry.timeout, signal, workerHost: entry.workerHost };
    const handle = entry.sandbox === 'iframe' ? await startIframeSandbox(options) : await startWorkerSandbox(options);
    if (signal.aborted) {
      handle.close();
      throw signal.reason ?? abortError();
    }
    entry.handle = handle;
    return handle.remote;
  }
}

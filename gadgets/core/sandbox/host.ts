// The parent side of a sandbox: starts the iframe or worker, checks the handshake, builds the proxy, tears it down.
import { abortError } from '../cancel';
import { GadgetDeclarationError, SandboxError } from '../errors';
import { resolveGadgetUrl } from '../module-loader';
import { Endpoint, HELLO, INIT, WORKER_ERROR, deserializeError, type RequestHandler, type WireMessage } from './protocol';
import type { RemoteGadget } from './remote';
import { NOT_ISOLATED, startBootstrappedWorker } from './worker-bootstrap';

/** Answers a sandboxed child's acquisitions (the declaring gadget does, as if the child were in its tree). */
export type ChildAcquisitionAnswer = (name: string, args: unknown[], signal: AbortSignal) => Promise<unknown>;

export interface SandboxStartOptions {
  /** The gadget module URL (iframe) or worker script URL (worker). */
  url: string;
  scope: string;
  /** Where the iframe goes (iframe sandbox only). */
  container?: HTMLElement | undefined;
  /** Names of the acquisitions the child may make; anything else is refused with SandboxError (403). */
  allow: ReadonlySet<string>;
  answer: ChildAcquisitionAnswer;
  /** How long the child has to say ready. */
  timeout: number;
  signal: AbortSignal;
  /** Worker sandbox only: the page that starts the worker, always (see DeclareOptions.workerHost). */
  workerHost?: string | undefined;
}

export interface SandboxHandle {
  remote: RemoteGadget;
  /** Closes the channel (pending calls reject with SandboxError 410) and removes the iframe / terminates the worker. */
  close(): void;
}

/** The sandbox pages, built as HTML entries of their own (vite.config.ts build.rollupOptions.input). */
export function iframeEntryUrl(): string {
  return resolveGadgetUrl(`${import.meta.env.BASE_URL}gadgets/core/sandbox/iframe.html`);
}
export function workerHostEntryUrl(): string {
  return resolveGadgetUrl(`${import.meta.env.BASE_URL}gadgets/core/sandbox/worker-host.html`);
}

function parentHandler(options: SandboxStartOptions): RequestHandler {
  return (kind, name, args, signal) => {
    if (kind !== 'acquire') throw new SandboxError('the parent of a sandboxed gadget takes acquisitions only, not method calls', 400);
    if (!options.allow.has(name)) {
      throw new SandboxError(
        `the sandboxed gadget "${options.scope}" may not acquire "${name}": the declaring gadget must allow it (declareGadget option acquisitions, or data-gadget-acquisitions)`,
        403,
      );
    }
    return options.answer(name, args, signal);
  };
}

function makeRemote(kind: 'iframe' | 'worker', scope: string, methods: string[], endpoint: Endpoint, frame?: HTMLIFrameElement): RemoteGadget {
  const remote: Record<string, unknown> = {
    sandbox: kind,
    scope,
    methods: Object.freeze([...methods]),
    frame,
    call: (name: string, args: unknown[] = [], { signal }: { signal?: AbortSignal } = {}) => endpoint.request('call', name, args, signal),
  };
  for (const method of methods) {
    if (method in remote) continue; // reserved names stay reachable through call()
    remote[method] = (...args: unknown[]) => endpoint.request('call', method, args);
  }
  return Object.freeze(remote) as unknown as RemoteGadget;
}

/** Waits for the child's ready (or failed) message, the timeout, or the abort of `signal`. */
function whenReady(endpoint: Endpoint, options: SandboxStartOptions, extraFailure?: Promise<never>): Promise<string[]> {
  const ready = new Promise<string[]>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new GadgetDeclarationError(options.url, options.scope, `the sandboxed gadget "${options.scope}" did not become ready within ${options.timeout} ms: check its URL and the console of the sandbox`, 504)),
      options.timeout,
    );
    const onAbort = () => reject(options.signal.reason ?? abortError());
    options.signal.addEventListener('abort', onAbort, { once: true });
    const done = () => {
      clearTimeout(timer);
      options.signal.removeEventListener('abort', onAbort);
    };
    endpoint.onControl = (message: WireMessage) => {
      done();
      if (message.type === 'ready' && Array.isArray(message.methods)) {
        resolve(message.methods.filter((name): name is string => typeof name === 'string'));
      } else if (message.type === 'failed') {
        const cause = deserializeError(message.error);
        reject(new GadgetDeclarationError(options.url, options.scope, `the sandboxed gadget "${options.scope}" failed to load: ${cause.name}: ${cause.message}`, 502, { cause }));
      }
      endpoint.onControl = undefined;
    };
    extraFailure?.catch((error: unknown) => {
      done();
      reject(error);
    });
  });
  return ready;
}

interface SandboxFrame {
  frame: HTMLIFrameElement;
  /** Stops listening to the page and removes the iframe. */
  close(): void;
}

/**
 * Loads `page` in `<iframe sandbox="allow-scripts">` (no allow-same-origin: the page cannot reach the parent's DOM,
 * storage or cookies) and hands it `port` once its hello checks out: the message comes from this iframe, its origin
 * is opaque ("null", so the sandbox is in force) and it carries the token from the page's URL. Later messages passing
 * the same checks go to `onPageMessage`. `sameOrigin` (a worker host page of the app's own, see startWorkerSandbox)
 * loads the page unsandboxed, so the service worker serves it offline; its hello then comes from the app's origin.
 */
function openSandboxFrame(
  page: string,
  options: SandboxStartOptions,
  port: MessagePort,
  { container, hidden = false, sameOrigin = false, onPageMessage }: { container: HTMLElement; hidden?: boolean; sameOrigin?: boolean; onPageMessage?: (data: { type?: unknown; message?: unknown }) => void },
): SandboxFrame {
  const token = crypto.randomUUID();
  const expectedOrigin = sameOrigin ? location.origin : 'null';
  const frame = document.createElement('iframe');
  // Same-origin: no sandbox attribute at all, since allow-scripts with allow-same-origin would be no sandbox anyway.
  if (!sameOrigin) frame.setAttribute('sandbox', 'allow-scripts');
  frame.setAttribute('title', `gadget ${options.scope}`);
  frame.src = `${page}#${token}`;
  frame.hidden = hidden;
  let greeted = false;
  const onMessage = (event: MessageEvent): void => {
    const data = event.data as { type?: unknown; token?: unknown; message?: unknown } | null;
    if (event.source === null || event.source !== frame.contentWindow) return;
    if (event.origin !== expectedOrigin || !data || data.token !== token) return;
    if (data.type !== HELLO) {
      if (greeted) onPageMessage?.(data);
      return;
    }
    if (greeted) return;
    greeted = true;
    if (!onPageMessage) window.removeEventListener('message', onMessage);
    (event.source as Window).postMessage({ type: INIT, token, url: resolveGadgetUrl(options.url), scope: options.scope }, '*', [port]);
  };
  window.addEventListener('message', onMessage);
  container.append(frame);
  return {
    frame,
    close: () => {
      window.removeEventListener('message', onMessage);
      frame.remove();
    },
  };
}

/** Starts a gadget module in a sandboxed iframe (gadgets/core/sandbox/iframe.html) inside `options.container`. */
export async function startIframeSandbox(options: SandboxStartOptions): Promise<SandboxHandle> {
  const channel = new MessageChannel();
  const endpoint = new Endpoint(channel.port1, parentHandler(options));
  const { frame, close: closeFrame } = openSandboxFrame(iframeEntryUrl(), options, channel.port2, { container: options.container ?? document.body });
  const close = () => {
    endpoint.close(new SandboxError(`the sandboxed gadget "${options.scope}" was dropped or detached`, 410));
    closeFrame();
  };
  try {
    const methods = await whenReady(endpoint, options);
    return { remote: makeRemote('iframe', options.scope, methods, endpoint, frame), close };
  } catch (error) {
    close();
    throw error;
  }
}

/** The cause of a worker gadget's declaration error when its worker could not run at all (not its script failing). */
class WorkerStartError extends Error {
  override readonly name = 'WorkerStartError';
}

/** Starts the worker gadget's worker with `port`; `fail` rejects the start (the worker could not run at all). */
type WorkerLauncher = (options: SandboxStartOptions, port: MessagePort, fail: (reason: string) => void) => { close(): void };

/** A data: URL worker started by the app itself: in the app's process, so calls are as fast as with a plain Worker. */
const launchDirect: WorkerLauncher = (options, port, fail) => {
  const url = resolveGadgetUrl(options.url);
  const worker = startBootstrappedWorker(url, options.scope);
  worker.addEventListener('error', (event) => {
    event.preventDefault();
    fail(event.message || 'the worker did not start');
  }, { once: true }); // later errors are the gadget's own: left to the console
  worker.postMessage({ type: INIT, token: '', url, scope: options.scope }, [port]);
  return { close: () => worker.terminate() };
};

/**
 * The worker started from a hidden page: worker-host.html, opaque, for browsers where launchDirect is not; or the
 * declaration's own `workerHost` page (`sameOrigin`), whose policy the worker inherits.
 */
const launchFromSandboxPage = (page: string, sameOrigin = false): WorkerLauncher => (options, port, fail) =>
  // Headless: the page only starts the worker, so it is hidden and kept out of the declaring gadget's DOM. The worker
  // ends with the page that started it.
  openSandboxFrame(page, options, port, {
    container: document.body,
    hidden: true,
    sameOrigin,
    onPageMessage: (data) => {
      if (data.type !== WORKER_ERROR) return;
      const reason = typeof data.message === 'string' && data.message ? data.message : 'the worker did not start';
      fail(`${reason} (a Content-Security-Policy on ${page} must allow data: workers)`);
    },
  });

async function startWorkerWith(launch: WorkerLauncher, options: SandboxStartOptions): Promise<SandboxHandle> {
  const channel = new MessageChannel();
  const endpoint = new Endpoint(channel.port1, parentHandler(options));
  let fail: (reason: string) => void = () => {};
  const workerFailed = new Promise<never>((_, reject) => {
    fail = (reason) => {
      const message = `the worker gadget "${options.scope}" failed to start: ${reason}`;
      reject(new GadgetDeclarationError(options.url, options.scope, message, 502, { cause: new WorkerStartError(reason) }));
    };
  });
  const worker = launch(options, channel.port2, fail);
  const close = () => {
    endpoint.close(new SandboxError(`the worker gadget "${options.scope}" was dropped or detached`, 410));
    worker.close();
  };
  try {
    const methods = await whenReady(endpoint, options, workerFailed);
    return { remote: makeRemote('worker', options.scope, methods, endpoint), close };
  } catch (error) {
    close();
    throw error;
  }
}

/** The direct worker had the app's origin, or could not run at all (e.g. a policy refusing data: workers). */
function directWorkerUnusable(error: unknown): boolean {
  if (!(error instanceof GadgetDeclarationError)) return false;
  return error.cause instanceof WorkerStartError || (error.cause as { name?: unknown } | undefined)?.name === NOT_ISOLATED;
}

/**
 * Starts a headless gadget in a module Worker; `url` is a worker script calling `serveWorkerGadget(Class)`. The worker
 * has an opaque origin: no IndexedDB, Cache Storage, Web Locks, cookies or BroadcastChannel of the app. It is a data:
 * URL worker the app starts; where such a worker gets the app's origin (its bootstrap checks before loading the
 * gadget) or cannot start, a hidden sandboxed page starts it instead. Either way the port goes straight to the worker.
 */
export async function startWorkerSandbox(options: SandboxStartOptions): Promise<SandboxHandle> {
  // A declared host page is the app's own and runs nothing but the start of the worker, so it may share the app's
  // origin: an opaque frame is never served by the service worker, and the host must load offline. The worker is
  // opaque all the same (a data: URL worker), and its bootstrap refuses to load the gadget where it is not.
  if (options.workerHost !== undefined) return startWorkerWith(launchFromSandboxPage(resolveGadgetUrl(options.workerHost), true), options);
  try {
    return await startWorkerWith(launchDirect, options);
  } catch (error) {
    if (!directWorkerUnusable(error) || options.signal.aborted) throw error;
    return startWorkerWith(launchFromSandboxPage(workerHostEntryUrl()), options);
  }
}

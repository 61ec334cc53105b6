// The parent side of a sandbox: starts the iframe or worker, checks the handshake, builds the proxy, tears it down.
import { abortError } from '../cancel';
import { GadgetDeclarationError, SandboxError } from '../errors';
import { resolveGadgetUrl } from '../module-loader';
import { Endpoint, HELLO, INIT, deserializeError, type RequestHandler, type WireMessage } from './protocol';
import type { RemoteGadget } from './remote';

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
}

export interface SandboxHandle {
  remote: RemoteGadget;
  /** Closes the channel (pending calls reject with SandboxError 410) and removes the iframe / terminates the worker. */
  close(): void;
}

/** The sandbox page, built as its own HTML entry (vite.config.ts build.rollupOptions.input). */
export function iframeEntryUrl(): string {
  return resolveGadgetUrl(`${import.meta.env.BASE_URL}gadgets/core/sandbox/iframe.html`);
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

/**
 * Starts a gadget in `<iframe sandbox="allow-scripts">` (no allow-same-origin: the child cannot reach the parent's DOM,
 * storage or cookies). Handshake: the child posts hello with the token from its URL; the parent checks the source is
 * its iframe, the origin is opaque ("null", so the sandbox is in force) and the token matches, then sends the port.
 */
export async function startIframeSandbox(options: SandboxStartOptions): Promise<SandboxHandle> {
  const token = crypto.randomUUID();
  const frame = document.createElement('iframe');
  frame.setAttribute('sandbox', 'allow-scripts');
  frame.setAttribute('title', `gadget ${options.scope}`);
  frame.src = `${iframeEntryUrl()}#${token}`;
  const channel = new MessageChannel();
  let endpoint: Endpoint | undefined;
  const onHello = (event: MessageEvent): void => {
    const data = event.data as { type?: unknown; token?: unknown } | null;
    if (event.source === null || event.source !== frame.contentWindow) return;
    if (event.origin !== 'null' || !data || data.type !== HELLO || data.token !== token) return;
    window.removeEventListener('message', onHello);
    (event.source as Window).postMessage({ type: INIT, token, url: resolveGadgetUrl(options.url), scope: options.scope }, '*', [channel.port2]);
  };
  window.addEventListener('message', onHello);
  endpoint = new Endpoint(channel.port1, parentHandler(options));
  const close = () => {
    window.removeEventListener('message', onHello);
    endpoint?.close(new SandboxError(`the sandboxed gadget "${options.scope}" was dropped or detached`, 410));
    frame.remove();
  };
  (options.container ?? document.body).append(frame);
  try {
    const methods = await whenReady(endpoint, options);
    return { remote: makeRemote('iframe', options.scope, methods, endpoint, frame), close };
  } catch (error) {
    close();
    throw error;
  }
}

/** Starts a headless gadget in a module Worker; `url` is a worker script calling `serveWorkerGadget(Class)`. */
export async function startWorkerSandbox(options: SandboxStartOptions): Promise<SandboxHandle> {
  let worker: Worker;
  try {
    worker = new Worker(resolveGadgetUrl(options.url), { type: 'module', name: `gadget ${options.scope}` });
  } catch (error) {
    throw new GadgetDeclarationError(options.url, options.scope, `cannot start the worker gadget "${options.scope}": ${String(error)}`, 502, { cause: error });
  }
  const channel = new MessageChannel();
  const endpoint = new Endpoint(channel.port1, parentHandler(options));
  const workerFailed = new Promise<never>((_, reject) => {
    worker.addEventListener('error', (event) => {
      event.preventDefault();
      reject(new GadgetDeclarationError(options.url, options.scope, `the worker gadget "${options.scope}" failed to start: ${event.message || 'script error (check the URL)'}`, 502));
    }, { once: true });
  });
  worker.postMessage({ type: INIT, token: '', url: resolveGadgetUrl(options.url), scope: options.scope }, [channel.port2]);
  const close = () => {
    endpoint.close(new SandboxError(`the worker gadget "${options.scope}" was dropped or detached`, 410));
    worker.terminate();
  };
  try {
    const methods = await whenReady(endpoint, options, workerFailed);
    return { remote: makeRemote('worker', options.scope, methods, endpoint), close };
  } catch (error) {
    close();
    throw error;
  }
}

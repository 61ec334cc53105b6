// A headless gadget that runs in a Web Worker (compute). Its declared methods are called by the declaring gadget
// through the same protocol as iframe gadgets; it acquires from the declaring gadget over the channel.
import type { AcquisitionKey } from './acquisition';
import { INIT, serializeError, type Endpoint } from './sandbox/protocol';
import { declaredMethodsOf, serveChild } from './sandbox/child';

/**
 * Base class of worker gadgets. List callable methods in `static declaredMethods`; an async method receives the
 * caller's AbortSignal where the caller passed one (as an argument or as `options.signal`).
 */
export class WorkerGadget {
  static declaredMethods: readonly string[] = [];
  /** @internal Set by serveWorkerGadget. */
  endpoint: Endpoint | undefined = undefined;

  /** Asks the declaring gadget (it must allow `key` in its declaration); rejects with SandboxError when refused. */
  acquire<Args extends unknown[], Result>(key: AcquisitionKey<Args, Result>, ...args: Args): Promise<Result> {
    return this.acquireWith({}, key, ...args);
  }

  /** Like `acquire`, cancelled when `signal` aborts. */
  acquireWith<Args extends unknown[], Result>({ signal }: { signal?: AbortSignal }, key: AcquisitionKey<Args, Result>, ...args: Args): Promise<Result> {
    if (!this.endpoint) return Promise.reject(new Error('this worker gadget is not served yet: call serveWorkerGadget(Class) in the worker script'));
    return this.endpoint.request('acquire', key.name, args, signal) as Promise<Result>;
  }
}

/** Call once at the top level of the worker script: waits for the parent's port, then serves a new `cls` instance. */
export function serveWorkerGadget(cls: (new () => WorkerGadget) & { declaredMethods: readonly string[] }): void {
  const scope = self as unknown as { addEventListener(type: 'message', listener: (event: MessageEvent) => void): void; removeEventListener(type: 'message', listener: (event: MessageEvent) => void): void };
  const onInit = (event: MessageEvent): void => {
    const data = event.data as { type?: unknown } | null;
    const port = event.ports[0];
    if (!data || data.type !== INIT || !port) return;
    scope.removeEventListener('message', onInit);
    try {
      const instance = new cls();
      const methods = declaredMethodsOf(instance, cls.declaredMethods);
      instance.endpoint = serveChild(port, instance, methods);
      instance.endpoint.post({ type: 'ready', methods });
    } catch (error) {
      port.postMessage({ type: 'failed', error: serializeError(error) });
    }
  };
  scope.addEventListener('message', onInit);
}

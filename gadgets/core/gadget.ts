import { LitElement } from 'lit';
import {
  AcquireEvent,
  reportServiceErrorKey,
  type AcquisitionHandler,
  type AcquisitionKey,
  type AcquisitionRequest,
  type ArgsOf,
  type ResultOf,
} from './acquisition';
import { abortError, anySignal, isAbortError, nextFrame, raceAbort, sleep } from './cancel';
import { AcquisitionError } from './errors';
import { Mutex } from './mutex';
import { DeclaredChildren, type DeclareOptions } from './declaration';
import type { GadgetSource } from './module-loader';
import { reportGadgetDeclarationErrorKey } from './acquisition';

/** A job: call it to start a run; a new call aborts the previous unfinished run. */
export type Job<Args extends unknown[], Result> = (...args: Args) => Promise<Result>;

/** A serialised method made with `this.mutex(fn)`; `withSignal` lets one call be cancelled. */
export type MutexMethod<Args extends unknown[], Result> = ((...args: Args) => Promise<Result>) & {
  withSignal(signal: AbortSignal | undefined, ...args: Args): Promise<Result>;
};

interface JobSlot {
  counter: number;
  controller: AbortController | undefined;
  queued: { args: unknown[]; resolve: (value: unknown) => void; reject: (error: unknown) => void; id: number } | undefined;
  start(id: number, args: unknown[]): Promise<unknown>;
}

interface EventRegistration {
  type: string;
  handler: (signal: AbortSignal, event: Event) => unknown;
  options: OnEventOptions;
  controller: AbortController | undefined;
  listener: ((event: Event) => void) | undefined;
  target: EventTarget | undefined;
}

/** Options of `onEvent`. */
export interface OnEventOptions {
  /** Listen in the capture phase. Default false. */
  capture?: boolean;
  /** Call `event.preventDefault()` before the handler runs (e.g. form submit). Default false. */
  preventDefault?: boolean;
  /** Where to listen; default the gadget element itself. A function is called at each attach (e.g. `() => window`). */
  target?: EventTarget | (() => EventTarget);
}

const neverAborted = new AbortController().signal;

/**
 * The base of every gadget: a LitElement with renderJS's behaviour, typed and cancellable.
 *
 * - `acquire(key, ...args)` asks the nearest ancestor gadget providing `key` (`provide(key, handler)`).
 * - `service(fn)` runs while the gadget is attached; `job(fn)` makes a function whose new call aborts the previous run;
 *   `onEvent`, `onLoop`, `mutex` as in renderJS.
 * - `state` / `changeState(partial)` / `onStateChange(changed)`.
 * - `declareGadget` / `getDeclaredGadget` / `dropGadget` for children (see ./declaration).
 *
 * Every run gets one AbortSignal: detaching the gadget aborts services, jobs, event runs and loops; pass the signal to
 * fetches, storage calls, `sleep` and `nextFrame` so they stop too.
 *
 * `S` is the state's shape; set the initial state in the subclass constructor (`this.state = { count: 0 }`).
 */
export class Gadget<S extends object = Record<string, unknown>> extends LitElement {
  /**
   * Names of the methods a parent may call through a sandbox (iframe or worker). Same-document parents call any public
   * method directly; only these cross a sandbox boundary.
   */
  static declaredMethods: readonly string[] = [];

  /** The gadget's state; change it with `changeState` so `onStateChange` sees what changed. */
  state: S = {} as S;

  readonly #providers = new Map<string, AcquisitionHandler<unknown[], unknown>>();
  readonly #services: ((signal: AbortSignal) => unknown)[] = [];
  readonly #jobs: JobSlot[] = [];
  readonly #events: EventRegistration[] = [];
  #lifetime: AbortController | undefined = undefined;
  #serviceController: AbortController | undefined = undefined;
  #started = false;
  #stateQueue: Promise<void> = Promise.resolve();
  #pendingChanges: Partial<S> = {};
  /** Set by the declaring parent (declareGadget); otherwise the `data-gadget-scope` attribute is used. */
  #assignedScope: string | null = null;

  readonly #declaredChildren: DeclaredChildren = new DeclaredChildren(this);

  constructor() {
    super();
    this.addEventListener(AcquireEvent.type, this.#onAcquireRequest);
    // A controller, not overridden lifecycle methods: subclasses overriding updated() cannot skip the scan.
    this.addController({
      hostUpdated: () => this.#declaredChildren.scan(),
    });
  }

  /** The scope this gadget was declared with by its parent, or null. */
  get gadgetScope(): string | null {
    return this.#assignedScope ?? this.getAttribute('data-gadget-scope');
  }

  /** @internal Used by the declaring parent. */
  setGadgetScope(scope: string | null): void {
    this.#assignedScope = scope;
  }

  /** Aborted when the gadget is detached; a fresh signal on each attach. Never aborted before the first attach. */
  get connectionSignal(): AbortSignal {
    return this.#lifetime?.signal ?? neverAborted;
  }

  /** True between attach (services started) and detach. */
  get isStarted(): boolean {
    return this.#started;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.#lifetime = new AbortController();
    this.#serviceController = new AbortController();
    this.#started = true;
    for (const service of this.#services) this.#startService(service);
    for (const registration of this.#events) this.#attachEvent(registration);
    this.#declaredChildren.attached();
    for (const slot of this.#jobs) {
      const queued = slot.queued;
      if (!queued) continue;
      slot.queued = undefined;
      slot.start(queued.id, queued.args).then(queued.resolve, queued.reject);
    }
  }

  override disconnectedCallback(): void {
    this.#started = false;
    for (const registration of this.#events) this.#detachEvent(registration);
    this.#serviceController?.abort(abortError('gadget detached'));
    this.#lifetime?.abort(abortError('gadget detached'));
    this.#declaredChildren.detached();
    super.disconnectedCallback();
  }

  // ---- Acquisition -------------------------------------------------------------------------------------------------

  /**
   * Calls the method `key` on the nearest ancestor gadget providing it (through shadow roots and sandboxes).
   * Rejects with AcquisitionError "no gadget provides <name>" when no ancestor does (also when detached).
   * Cancelled (AbortError) when this gadget is detached; use `acquireWith` to tie it to a run's signal.
   */
  acquire<Args extends unknown[], Result>(key: AcquisitionKey<Args, Result>, ...args: Args): Promise<Result> {
    return this.acquireWith({ signal: this.connectionSignal }, key, ...args);
  }

  /** Like `acquire`, cancelled when `signal` aborts (or the gadget is detached); the provider receives that signal. */
  acquireWith<Args extends unknown[], Result>(
    { signal }: { signal?: AbortSignal },
    key: AcquisitionKey<Args, Result>,
    ...args: Args
  ): Promise<Result> {
    const combined = signal && signal !== this.connectionSignal ? anySignal(signal, this.#lifetime?.signal) : this.connectionSignal;
    return this.askAncestors(key.name, args, this.gadgetScope, combined) as Promise<Result>;
  }

  /**
   * Answers acquisitions of `key` from descendants. The handler gets `{scope, signal, path}` then the arguments.
   * Throw AcquisitionError from the handler to pass the request on to this gadget's own ancestors.
   * Register in the constructor (or any time later); a second call replaces the handler.
   */
  provide<K extends AcquisitionKey<unknown[], unknown>>(key: K, handler: AcquisitionHandler<ArgsOf<K>, ResultOf<K>>): void {
    this.#providers.set(key.name, handler as AcquisitionHandler<unknown[], unknown>);
  }

  /** @internal Sends a request up from this element; shared with the sandbox bridges. */
  askAncestors(name: string, args: unknown[], scope: string | null, signal: AbortSignal): Promise<unknown> {
    if (signal.aborted) return Promise.reject(signal.reason ?? abortError());
    const event = new AcquireEvent(name, args, scope, signal, this, '');
    Object.defineProperty(event, 'path', { get: () => gadgetPath(this) });
    this.dispatchEvent(event);
    if (!event.result) return Promise.reject(new AcquisitionError(`no gadget provides ${name}: provide it in an ancestor gadget with provide(key, handler)`));
    return raceAbort(event.result, signal);
  }

  readonly #onAcquireRequest = (event: Event): void => {
    if (!(event instanceof AcquireEvent) || event.requester === this || event.result) return;
    const handler = this.#providers.get(event.name);
    if (!handler) {
      // renderJS semantics: the next ancestor sees the scope of its own child on the path.
      event.scope = this.gadgetScope;
      return;
    }
    event.stopPropagation();
    const request: AcquisitionRequest = { scope: event.scope, signal: event.signal, get path() { return event.path; } };
    event.result = this.#answer(handler, event.name, event.args, request);
  };

  async #answer(handler: AcquisitionHandler<unknown[], unknown>, name: string, args: unknown[], request: AcquisitionRequest): Promise<unknown> {
    try {
      return await handler.call(this, request, ...args);
    } catch (error) {
      // "Not me": the search goes on with this gadget's ancestors.
      if (error instanceof AcquisitionError) return this.askAncestors(name, args, this.gadgetScope, request.signal);
      throw error;
    }
  }

  /**
   * @internal Answers an acquisition made by a sandboxed child declared with `scope`, as if the child were in this
   * gadget's tree: this gadget's own provider first, then its ancestors.
   */
  answerChildAcquisition(name: string, args: unknown[], scope: string | null, signal: AbortSignal): Promise<unknown> {
    const handler = this.#providers.get(name);
    if (!handler) return this.askAncestors(name, args, this.gadgetScope, signal);
    const path = `${gadgetPath(this)} > [${scope ?? 'sandbox'}]`;
    return this.#answer(handler, name, args, { scope, signal, path });
  }

  // ---- Declared children --------------------------------------------------------------------------------------------

  /**
   * Declares a child gadget from an ES module URL (default export: the element class), or from a loader function
   * `() => import('./child')` (public only; bundled with the app, so it also works in a production build), and
   * resolves with it:
   * - `public` (default): the element itself, appended to `element` (default: this gadget's light DOM);
   * - `iframe`: a RemoteGadget proxy; the module runs in `<iframe sandbox="allow-scripts">` inside `element`;
   * - `worker`: a RemoteGadget proxy; `url` is a worker script that calls `serveWorkerGadget(Class)`.
   * Declaring an existing scope drops the previous child first. Rejects with GadgetDeclarationError when the module
   * cannot be loaded (failures are cached per URL) or a sandbox does not become ready in time.
   * Type the result: `declareGadget<Remote<Fft>>(fftUrl, { sandbox: 'worker', scope: 'fft' })`.
   */
  declareGadget<T = Gadget>(source: GadgetSource, options: DeclareOptions = {}): Promise<T> {
    return this.#declaredChildren.declare(source, options) as Promise<T>;
  }

  /**
   * The child declared with `scope` (explicitly or in HTML with data-gadget-scope), once loaded. Rejects with
   * ScopeError for an unknown scope, with the cached GadgetDeclarationError when its load failed.
   */
  async getDeclaredGadget<T = Gadget>(scope: string): Promise<T> {
    // Children written in the template exist once it has rendered: let a pending render finish first.
    if (this.isConnected && this.isUpdatePending) await this.updateComplete;
    return (await this.#declaredChildren.get(scope)) as T;
  }

  /** Removes the child (element removed, sandbox torn down, pending calls rejected). Unknown scope → ScopeError. */
  async dropGadget(scope: string): Promise<void> {
    this.#declaredChildren.drop(scope);
  }

  /** The scopes of the declared children, in declaration order. */
  declaredScopes(): string[] {
    return this.#declaredChildren.scopes();
  }

  /**
   * @internal Where a child declared in HTML that failed to load is reported: this gadget's own
   * `reportGadgetDeclarationError` provider if any, else its ancestors'; with no provider at all, reportServiceError.
   */
  reportGadgetDeclarationError(error: unknown, scope: string): void {
    this.answerChildAcquisition(reportGadgetDeclarationErrorKey.name, [error, scope], scope, neverAborted).catch((failure: unknown) =>
      this.reportServiceError(failure instanceof AcquisitionError ? error : failure),
    );
  }

  // ---- Services, jobs, events, loops ------------------------------------------------------------------------------

  /**
   * Runs `fn` while the gadget is attached: started on attach (at once if already attached), aborted on detach,
   * started again on re-attach. An error other than cancellation aborts the gadget's other services and loops and is
   * reported upward through the `reportServiceError` acquisition.
   */
  protected service(fn: (signal: AbortSignal) => unknown): void {
    this.#services.push(fn);
    if (this.#started) this.#startService(fn);
  }

  #startService(fn: (signal: AbortSignal) => unknown): void {
    const controller = this.#serviceController!;
    const signal = controller.signal;
    void (async () => {
      try {
        await fn.call(this, signal);
      } catch (error) {
        if (isAbortError(error) && signal.aborted) return;
        if (isAbortError(error)) return;
        if (!controller.signal.aborted) controller.abort(abortError('another service of this gadget failed'));
        this.reportServiceError(error);
      }
    })();
  }

  /**
   * Reports an error upward (`reportServiceError` acquisition). Without any provider, the error goes to the global
   * `reportError()` (window "error" event), so it is never silently lost.
   */
  protected reportServiceError(error: unknown): void {
    // Not tied to the connection: a detaching gadget still gets its error out.
    this.askAncestors(reportServiceErrorKey.name, [error], this.gadgetScope, neverAborted).catch((failure: unknown) => {
      const toReport = failure instanceof AcquisitionError ? error : failure;
      if (typeof globalThis.reportError === 'function') globalThis.reportError(toReport);
      else console.error(toReport);
    });
  }

  /**
   * Makes a job: calling it starts `fn(signal, ...args)` and aborts the previous unfinished run of the same job.
   * - Calls made while the gadget is not attached are queued (only the last one) and start on attach.
   * - Detaching aborts the running run; it is not restarted on re-attach.
   * - A superseded or aborted run never applies its result: `apply(result, ...args)` runs only for the current run,
   *   and the promise of a superseded call rejects with AbortError.
   * - Errors other than cancellation are reported upward (reportServiceError) and reject the returned promise
   *   (which is marked handled, so fire-and-forget calls do not raise unhandled rejections).
   */
  protected job<Args extends unknown[], Result>(
    fn: (signal: AbortSignal, ...args: Args) => Promise<Result> | Result,
    apply?: (result: Result, ...args: Args) => void,
  ): Job<Args, Result> {
    const slot: JobSlot = {
      counter: 0,
      controller: undefined,
      queued: undefined,
      start: async (id, args) => {
        const controller = new AbortController();
        slot.controller = controller;
        const signal = anySignal(controller.signal, this.#lifetime?.signal);
        try {
          const result = await fn.call(this, signal, ...(args as Args));
          // The @lit/task rule: only the latest, unaborted run writes its result.
          if (id !== slot.counter || signal.aborted) throw signal.reason ?? abortError('job superseded');
          apply?.call(this, result, ...(args as Args));
          return result;
        } catch (error) {
          if (!isAbortError(error) && id === slot.counter && !signal.aborted) this.reportServiceError(error);
          throw error;
        } finally {
          if (slot.controller === controller) slot.controller = undefined;
        }
      },
    };
    this.#jobs.push(slot);
    return (...args: Args): Promise<Result> => {
      const id = ++slot.counter;
      slot.controller?.abort(abortError('job superseded by a newer call'));
      if (slot.queued) {
        slot.queued.reject(abortError('job superseded by a newer call'));
        slot.queued = undefined;
      }
      let promise: Promise<Result>;
      if (this.#started) {
        promise = slot.start(id, args) as Promise<Result>;
      } else {
        promise = new Promise<Result>((resolve, reject) => {
          slot.queued = { id, args, resolve: resolve as (value: unknown) => void, reject };
        });
      }
      promise.catch(() => {});
      return promise;
    };
  }

  /**
   * Listens to `type` while attached (on the gadget, or `options.target`); listeners are removed on detach.
   * A new event aborts the previous handler's unfinished run. Errors other than cancellation are reported upward.
   */
  protected onEvent<E extends Event = Event>(
    type: string,
    handler: (signal: AbortSignal, event: E) => unknown,
    options: OnEventOptions = {},
  ): void {
    const registration: EventRegistration = {
      type,
      handler: handler as (signal: AbortSignal, event: Event) => unknown,
      options,
      controller: undefined,
      listener: undefined,
      target: undefined,
    };
    this.#events.push(registration);
    if (this.#started) this.#attachEvent(registration);
  }

  #attachEvent(registration: EventRegistration): void {
    const { options } = registration;
    const target = typeof options.target === 'function' ? options.target() : (options.target ?? this);
    const listener = (event: Event): void => {
      if (options.preventDefault) event.preventDefault();
      registration.controller?.abort(abortError('superseded by a newer event'));
      const controller = new AbortController();
      registration.controller = controller;
      const signal = anySignal(controller.signal, this.#lifetime?.signal);
      void (async () => {
        try {
          await registration.handler.call(this, signal, event);
        } catch (error) {
          if (!isAbortError(error)) this.reportServiceError(error);
        } finally {
          if (registration.controller === controller) registration.controller = undefined;
        }
      })();
    };
    registration.listener = listener;
    registration.target = target;
    target.addEventListener(registration.type, listener, { capture: options.capture ?? false });
  }

  #detachEvent(registration: EventRegistration): void {
    if (registration.listener && registration.target) {
      registration.target.removeEventListener(registration.type, registration.listener, { capture: registration.options.capture ?? false });
    }
    registration.listener = undefined;
    registration.target = undefined;
    registration.controller = undefined; // its run is aborted with the connection signal
  }

  /**
   * A service that repeats: wait `delay` ms, wait an animation frame, run `fn(signal)`, again, while attached.
   * Default delay 0. Errors behave as service errors (loop stops, reported upward).
   */
  protected onLoop(fn: (signal: AbortSignal) => unknown, delay = 0): void {
    this.service(async (signal) => {
      for (;;) {
        await sleep(delay, signal);
        await nextFrame(signal);
        await fn.call(this, signal);
      }
    });
  }

  /**
   * Makes a method whose calls run one at a time, in call order. `mutex` (optional) lets several methods share one lock.
   * `method.withSignal(signal, ...args)` makes one call cancellable without touching earlier ones.
   */
  protected mutex<Args extends unknown[], Result>(
    fn: (signal: AbortSignal, ...args: Args) => Promise<Result> | Result,
    mutex: Mutex = new Mutex(),
  ): MutexMethod<Args, Result> {
    const withSignal = (signal: AbortSignal | undefined, ...args: Args): Promise<Result> =>
      mutex.lock((own) => fn.call(this, own, ...args), signal ? { signal } : {});
    const method = ((...args: Args) => withSignal(undefined, ...args)) as MutexMethod<Args, Result>;
    method.withSignal = withSignal;
    return method;
  }

  // ---- State ------------------------------------------------------------------------------------------------------

  /**
   * Sets the keys of `partial` that differ (===) from the current state, then calls `onStateChange` with only those
   * keys, and re-renders. Calls are serialised. If `onStateChange` throws, its keys are merged into the next call's
   * changes (so they are not lost) and the returned promise rejects.
   */
  changeState(partial: Partial<S>): Promise<void> {
    const run = this.#stateQueue.then(async () => {
      const changed: Partial<S> = { ...this.#pendingChanges };
      const state = this.state as Record<string, unknown>;
      for (const [key, value] of Object.entries(partial)) {
        if (!(key in state) || state[key] !== value) {
          state[key] = value;
          (changed as Record<string, unknown>)[key] = value;
        }
      }
      this.#pendingChanges = {};
      if (Object.keys(changed).length === 0) return;
      this.requestUpdate();
      try {
        await this.onStateChange(changed);
      } catch (error) {
        this.#pendingChanges = { ...changed, ...this.#pendingChanges };
        throw error;
      }
    });
    this.#stateQueue = run.catch(() => {});
    return run;
  }

  /** Called by `changeState` with only the keys that changed (serialised: never two at once). Default: nothing. */
  protected onStateChange(_changed: Partial<S>): void | Promise<void> {}
}

/** The gadget's path across shadow roots: `fs-app > fs-page > fs-graph`. */
export function gadgetPath(element: Element): string {
  const names: string[] = [];
  let node: Node | null = element;
  while (node) {
    if (node instanceof Element && node.localName.includes('-')) {
      const scope = node instanceof Gadget ? node.gadgetScope : null;
      names.unshift(scope ? `${node.localName}[${scope}]` : node.localName);
    }
    node = node.parentNode ?? (node instanceof ShadowRoot ? node.host : null);
  }
  return names.join(' > ');
}

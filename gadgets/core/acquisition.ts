/**
 * A typed name for a method acquired from ancestors. `Args` are what the asker passes, `Result` what the provider returns.
 * Keys match by name (so they cross sandboxes); create each key once and share it from a `keys.ts` module.
 */
export interface AcquisitionKey<Args extends unknown[], Result> {
  readonly name: string;
  /** Type-only marker: never set at run time. */
  readonly __types?: [Args, Result];
}

/** The argument tuple of a key. */
export type ArgsOf<K> = K extends AcquisitionKey<infer Args, unknown> ? Args : never;
/** The result type of a key. */
export type ResultOf<K> = K extends AcquisitionKey<unknown[], infer Result> ? Result : never;

/** Creates a typed acquisition key: `const storageKey = acquisitionKey<[], Storage>('storage')`. */
export function acquisitionKey<Args extends unknown[], Result>(name: string): AcquisitionKey<Args, Result> {
  return Object.freeze({ name });
}

/** What a provider's handler receives besides the arguments. */
export interface AcquisitionRequest {
  /**
   * The declared scope of the provider's child through which the request came (the asking child itself when it is a
   * direct child), or null when that child was not declared with a scope.
   */
  readonly scope: string | null;
  /** Aborted when the asker cancels (its job superseded, the asker detached…): pass it to fetches and storage calls. */
  readonly signal: AbortSignal;
  /** The asker's path in the gadget tree (`fs-app > fs-page > fs-graph`), for error reports. */
  readonly path: string;
}

/** A provider: answers an acquisition, or throws AcquisitionError to let an ancestor answer. */
export type AcquisitionHandler<Args extends unknown[], Result> = (
  request: AcquisitionRequest,
  ...args: Args
) => Result | Promise<Result>;

/**
 * The request travelling up the tree: a bubbling, composed event (it crosses shadow roots), answered synchronously by
 * the nearest gadget providing `name`, which sets `result` and stops propagation.
 */
export class AcquireEvent extends Event {
  static readonly type = 'fieldscope-acquire';
  result: Promise<unknown> | undefined;
  readonly name: string;
  readonly args: unknown[];
  readonly signal: AbortSignal;
  readonly requester: EventTarget;
  readonly path: string;
  /** Rewritten by each gadget the event passes without being answered (renderJS: the scope seen by the next parent). */
  scope: string | null;

  constructor(name: string, args: unknown[], scope: string | null, signal: AbortSignal, requester: EventTarget, path: string) {
    super(AcquireEvent.type, { bubbles: true, composed: true });
    this.name = name;
    this.args = args;
    this.scope = scope;
    this.signal = signal;
    this.requester = requester;
    this.path = path;
    this.result = undefined;
  }
}

/**
 * Reported upward when a service, job, event handler or loop fails with something other than cancellation.
 * The app shell provides it (error panel + Error Report document); unanswered, the error goes to `reportError()`.
 */
export const reportServiceErrorKey = acquisitionKey<[error: unknown], void>('reportServiceError');

/** Reported upward when a declared child gadget fails to load (bad URL, sandbox not ready…). */
export const reportGadgetDeclarationErrorKey = acquisitionKey<[error: unknown, scope: string], void>('reportGadgetDeclarationError');

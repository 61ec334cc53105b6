/** A sandboxed child as its parent sees it: its declared methods, each returning a promise. */
export interface RemoteGadget {
  readonly sandbox: 'iframe' | 'worker';
  readonly scope: string;
  /** The declared methods the child announced when it became ready. */
  readonly methods: readonly string[];
  /** The iframe (iframe sandbox only). */
  readonly frame: HTMLIFrameElement | undefined;
  /**
   * Calls a method by name. `signal` cancels it on the other side. Undeclared names are refused by the child with
   * SandboxError (403).
   */
  call(name: string, args?: unknown[], options?: { signal?: AbortSignal }): Promise<unknown>;
}

type MethodKeys<T> = { [K in keyof T]: T[K] extends (...args: never[]) => unknown ? K : never }[keyof T];

/**
 * The typed proxy of a sandboxed gadget class `T`: `getDeclaredGadget<Remote<MyGadget, 'sum' | 'fft'>>('scope')`.
 * Arguments and results are structured-cloned (ArrayBuffers transferred); an AbortSignal argument, or the `signal`
 * member of an options argument, cancels the call on the other side.
 */
export type Remote<T, K extends MethodKeys<T> = MethodKeys<T>> = RemoteGadget & {
  readonly [P in K]: T[P] extends (...args: infer A) => infer R ? (...args: A) => Promise<Awaited<R>> : never;
};

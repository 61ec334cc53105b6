/**
 * Raised when no ancestor provides an acquisition, or by a provider to say "not me, ask further up".
 * A handler that throws an AcquisitionError lets the search continue with the provider's own ancestors.
 */
export class AcquisitionError extends Error {
  override readonly name = 'AcquisitionError';
  /** HTTP-like: 404 when nobody provides it, 403 when a sandbox boundary refuses it. */
  readonly status: number;
  constructor(message: string, status = 404) {
    super(message);
    this.status = status;
  }
}

/** Raised by getDeclaredGadget / dropGadget for a scope this gadget never declared (or already dropped). */
export class ScopeError extends Error {
  override readonly name = 'ScopeError';
  readonly status = 404;
  readonly scope: string;
  constructor(scope: string, message = `no gadget is declared with scope "${scope}": declare it with declareGadget() or data-gadget-scope first`) {
    super(message);
    this.scope = scope;
  }
}

/** A child gadget could not be loaded (module URL failed, element missing, sandbox never became ready). */
export class GadgetDeclarationError extends Error {
  override readonly name = 'GadgetDeclarationError';
  readonly status: number;
  readonly url: string;
  readonly scope: string;
  constructor(url: string, scope: string, message: string, status = 500, options?: { cause?: unknown }) {
    super(message, options);
    this.url = url;
    this.scope = scope;
    this.status = status;
  }
}

/** A sandbox refused a call (undeclared method, acquisition not allowed) or its channel broke. */
export class SandboxError extends Error {
  override readonly name = 'SandboxError';
  readonly status: number;
  constructor(message: string, status = 403) {
    super(message);
    this.status = status;
  }
}

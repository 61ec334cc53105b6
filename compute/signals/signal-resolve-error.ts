/**
 * Why (signal, experiment) gives no single binding. `status` 404: nothing holds (no signal of that name, no binding
 * for the experiment, no array for it); 409: two hold at once (two bindings, two signals of one name, two arrays of
 * one reference). The message names what is involved and what to do; `details` has the ids.
 */
export class SignalResolveError extends Error {
  override readonly name = 'SignalResolveError';
  constructor(
    readonly status: 404 | 409,
    message: string,
    readonly details: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
  }
}

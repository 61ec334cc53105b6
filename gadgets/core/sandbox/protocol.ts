// The wire protocol shared by both sides of a sandbox (iframe or worker): requests, responses and cancellations over
// one MessagePort, symmetric so that calls (parent → child) and acquisitions (child → parent) use the same code.
import { abortError } from '../cancel';
import { AcquisitionError, SandboxError, ScopeError } from '../errors';

/** Posted by the sandboxed page to its parent window to start the handshake. */
export const HELLO = 'fieldscope-sandbox-hello';
/** Posted by the parent (with the MessagePort) once the hello checked out. */
export const INIT = 'fieldscope-sandbox-init';
/** Posted by the worker host page to its parent when the worker it started fails (error event in the worker). */
export const WORKER_ERROR = 'fieldscope-sandbox-worker-error';

export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
  status?: number;
}

/** Where AbortSignals were in a request's arguments: a bare argument, or the `signal` member of an options object. */
export type SignalSlot = { index: number; member: boolean };

export type RequestKind = 'call' | 'acquire';

export type WireMessage =
  | { type: 'ready'; methods: string[] }
  | { type: 'failed'; error: SerializedError }
  | { type: 'request'; id: number; kind: RequestKind; name: string; args: unknown[]; signals: SignalSlot[] }
  | { type: 'response'; id: number; ok: true; value: unknown }
  | { type: 'response'; id: number; ok: false; error: SerializedError }
  | { type: 'cancel'; id: number };

export function serializeError(error: unknown): SerializedError {
  if (error instanceof Error || error instanceof DOMException) {
    const status = (error as { status?: unknown }).status;
    return {
      name: error.name,
      message: error.message,
      ...(error.stack ? { stack: error.stack } : {}),
      ...(typeof status === 'number' ? { status } : {}),
    };
  }
  return { name: 'Error', message: typeof error === 'string' ? error : safeString(error) };
}

function safeString(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** Rebuilds an error on the receiving side: same name and message; the runtime's own classes come back as themselves. */
export function deserializeError(data: SerializedError): Error {
  let error: Error;
  switch (data.name) {
    case 'AbortError':
    case 'TimeoutError':
      error = new DOMException(data.message, data.name) as unknown as Error;
      break;
    case 'AcquisitionError':
      error = new AcquisitionError(data.message, data.status);
      break;
    case 'SandboxError':
      error = new SandboxError(data.message, data.status);
      break;
    case 'ScopeError':
      error = new ScopeError('', data.message);
      break;
    default:
      error = new Error(data.message);
      if (error.name !== data.name) Object.defineProperty(error, 'name', { value: data.name, configurable: true, writable: true });
      if (typeof data.status === 'number') Object.defineProperty(error, 'status', { value: data.status, enumerable: true });
  }
  if (data.stack) {
    try {
      Object.defineProperty(error, 'stack', { value: data.stack, configurable: true, writable: true });
    } catch {
      // DOMException stacks may be read-only: the message still says what happened.
    }
  }
  return error;
}

/**
 * Takes AbortSignals out of the arguments (they cannot be cloned): a bare signal argument, or `options.signal`.
 * The first one found becomes the request's signal; the receiving side puts its own signal back in the same places.
 */
export function extractSignals(args: unknown[]): { args: unknown[]; slots: SignalSlot[]; signals: AbortSignal[] } {
  const slots: SignalSlot[] = [];
  const signals: AbortSignal[] = [];
  const out = args.map((arg, index) => {
    if (arg instanceof AbortSignal) {
      slots.push({ index, member: false });
      signals.push(arg);
      return null;
    }
    if (isPlainObject(arg) && arg.signal instanceof AbortSignal) {
      slots.push({ index, member: true });
      signals.push(arg.signal);
      const { signal: _removed, ...rest } = arg;
      return rest;
    }
    return arg;
  });
  return { args: out, slots, signals };
}

/** Puts `signal` back where the sender's signals were. */
export function injectSignal(args: unknown[], slots: SignalSlot[], signal: AbortSignal): unknown[] {
  const out = [...args];
  for (const slot of slots) {
    if (!Number.isInteger(slot.index) || slot.index < 0 || slot.index >= 64) continue;
    if (slot.member) out[slot.index] = { ...(isPlainObject(out[slot.index]) ? (out[slot.index] as object) : {}), signal };
    else out[slot.index] = signal;
  }
  return out;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * The ArrayBuffers inside a value (directly, behind typed arrays / DataViews, or in plain objects and arrays, a few
 * levels deep): they are transferred rather than copied. After the call the sender's buffers are detached.
 */
export function transferables(value: unknown, found: Set<ArrayBuffer> = new Set(), depth = 0): ArrayBuffer[] {
  if (depth > 4 || value === null || typeof value !== 'object') return [...found];
  if (value instanceof ArrayBuffer) found.add(value);
  else if (ArrayBuffer.isView(value)) {
    if (value.buffer instanceof ArrayBuffer) found.add(value.buffer);
  } else if (Array.isArray(value)) {
    for (const item of value.slice(0, 1000)) transferables(item, found, depth + 1);
  } else if (isPlainObject(value)) {
    for (const item of Object.values(value).slice(0, 1000)) transferables(item, found, depth + 1);
  }
  return [...found];
}

/** What a side does with the other side's requests; throw SandboxError to refuse. */
export type RequestHandler = (kind: RequestKind, name: string, args: unknown[], signal: AbortSignal) => Promise<unknown> | unknown;

/**
 * One side of a sandbox channel. Requests carry an id; the answer is a response with that id; a cancel with that id
 * aborts the run on the other side. Both sides validate every incoming message (the other side may be hostile).
 */
export class Endpoint {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: unknown) => void; cleanup: () => void }>();
  private readonly running = new Map<number, AbortController>();
  private closed: Error | undefined;
  private readonly onMessage = (event: MessageEvent): void => this.receive(event.data);

  constructor(
    private readonly port: MessagePort,
    private readonly handler: RequestHandler,
  ) {
    port.addEventListener('message', this.onMessage);
    port.start();
  }

  /** Sends a request; resolves with the other side's answer. `signal` aborting sends a cancel and rejects at once. */
  request(kind: RequestKind, name: string, rawArgs: unknown[], signal?: AbortSignal): Promise<unknown> {
    if (this.closed) return Promise.reject(this.closed);
    const { args, slots, signals } = extractSignals(rawArgs);
    const callSignal = signal ?? signals[0];
    if (callSignal?.aborted) return Promise.reject(callSignal.reason ?? abortError());
    const id = this.nextId++;
    return new Promise<unknown>((resolve, reject) => {
      const onAbort = () => {
        if (!this.pending.has(id)) return;
        this.pending.delete(id);
        this.post({ type: 'cancel', id });
        reject(callSignal!.reason ?? abortError());
      };
      callSignal?.addEventListener('abort', onAbort, { once: true });
      const cleanup = () => callSignal?.removeEventListener('abort', onAbort);
      this.pending.set(id, { resolve, reject, cleanup });
      try {
        this.port.postMessage({ type: 'request', id, kind, name, args, signals: slots } satisfies WireMessage, transferables(args));
      } catch (error) {
        this.pending.delete(id);
        cleanup();
        reject(error); // DataCloneError: say which call could not be sent
      }
    });
  }

  /** Sends a message that is not a request (ready/failed). */
  post(message: WireMessage, transfer: Transferable[] = []): void {
    if (!this.closed) this.port.postMessage(message, transfer);
  }

  /** Rejects pending requests, aborts running handlers, closes the port. */
  close(reason: Error = new SandboxError('sandbox closed', 410)): void {
    if (this.closed) return;
    this.closed = reason;
    for (const { reject, cleanup } of this.pending.values()) {
      cleanup();
      reject(reason);
    }
    this.pending.clear();
    for (const controller of this.running.values()) controller.abort(abortError('sandbox closed'));
    this.running.clear();
    this.port.removeEventListener('message', this.onMessage);
    this.port.close();
  }

  /** Messages that are neither requests, responses nor cancels (ready/failed) go here. */
  onControl: ((message: WireMessage) => void) | undefined = undefined;

  private receive(data: unknown): void {
    if (this.closed || data === null || typeof data !== 'object') return;
    const message = data as Partial<WireMessage> & Record<string, unknown>;
    switch (message.type) {
      case 'request':
        return this.receiveRequest(message);
      case 'response': {
        const id = message.id;
        if (typeof id !== 'number') return;
        const entry = this.pending.get(id);
        if (!entry) return;
        this.pending.delete(id);
        entry.cleanup();
        if (message.ok === true) entry.resolve(message.value);
        else entry.reject(deserializeError(toSerializedError(message.error)));
        return;
      }
      case 'cancel': {
        if (typeof message.id !== 'number') return;
        this.running.get(message.id)?.abort(abortError('cancelled by the other side'));
        this.running.delete(message.id);
        return;
      }
      case 'ready':
      case 'failed':
        this.onControl?.(message as WireMessage);
        return;
      default:
        return;
    }
  }

  private receiveRequest(message: Record<string, unknown>): void {
    const { id, kind, name, args, signals } = message;
    if (typeof id !== 'number' || this.running.has(id)) return;
    const respondError = (error: unknown) => this.post({ type: 'response', id, ok: false, error: serializeError(error) });
    if ((kind !== 'call' && kind !== 'acquire') || typeof name !== 'string' || !Array.isArray(args) || !Array.isArray(signals)) {
      respondError(new SandboxError('malformed request', 400));
      return;
    }
    const controller = new AbortController();
    this.running.set(id, controller);
    const slots = (signals as unknown[]).filter(
      (slot): slot is SignalSlot => typeof slot === 'object' && slot !== null && typeof (slot as SignalSlot).index === 'number',
    );
    void (async () => {
      try {
        const value = await this.handler(kind, name, injectSignal(args, slots, controller.signal), controller.signal);
        if (controller.signal.aborted) return;
        try {
          this.post({ type: 'response', id, ok: true, value }, transferables(value));
        } catch (error) {
          respondError(error);
        }
      } catch (error) {
        if (!controller.signal.aborted) respondError(error);
      } finally {
        this.running.delete(id);
      }
    })();
  }
}

function toSerializedError(value: unknown): SerializedError {
  if (value && typeof value === 'object') {
    const { name, message, stack, status } = value as Record<string, unknown>;
    return {
      name: typeof name === 'string' ? name : 'Error',
      message: typeof message === 'string' ? message : 'unknown error from sandbox',
      ...(typeof stack === 'string' ? { stack } : {}),
      ...(typeof status === 'number' ? { status } : {}),
    };
  }
  return { name: 'Error', message: 'unknown error from sandbox' };
}

// The child side of the sandbox pages' handshake (iframe.html, worker-host.html): say hello to the app, then take the
// one INIT message that carries the page's token, the module URL and the MessagePort the app will talk over.
import { HELLO, INIT } from './protocol';

export interface FrameInit {
  port: MessagePort;
  url: string;
  /** The declaring element's data-gadget-scope, when it has one. */
  scope: string | null;
  /** Tells the app that this page failed before the port could say so (the page's token goes with it). */
  reportToParent(message: Record<string, unknown>): void;
}

/**
 * Waits for the app's INIT and calls `onInit` once. Only the parent window at this page's URL origin is listened to
 * (the app itself; the page's own origin is opaque: "null"), and only with the token the app put in the URL's hash.
 * Does nothing outside an iframe or without a token.
 */
export function awaitFrameInit(onInit: (init: FrameInit) => void): void {
  const token = location.hash.slice(1);
  const parentOrigin = location.origin;
  if (!token || window.parent === window) return;
  const listener = (event: MessageEvent): void => {
    const data = event.data as { type?: unknown; token?: unknown; url?: unknown; scope?: unknown } | null;
    if (event.source !== window.parent || event.origin !== parentOrigin) return;
    if (!data || data.type !== INIT || data.token !== token || typeof data.url !== 'string') return;
    const port = event.ports[0];
    if (!port) return;
    window.removeEventListener('message', listener);
    onInit({
      port,
      url: data.url,
      scope: typeof data.scope === 'string' ? data.scope : null,
      reportToParent: (message) => window.parent.postMessage({ ...message, token }, parentOrigin),
    });
  };
  window.addEventListener('message', listener);
  window.parent.postMessage({ type: HELLO, token }, parentOrigin);
}

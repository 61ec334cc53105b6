import type { Workbox } from 'workbox-window';

/**
 * Registers the precaching service worker (built by vite-plugin-pwa) and calls `onUpdateWaiting` when a new version
 * is installed and waiting. The callback gets `activate`, which tells the waiting worker to take over and reloads the
 * page once it controls it. Nothing happens in development builds (no service worker there) or without support.
 */
export async function registerServiceWorker(onUpdateWaiting: (activate: () => void) => void): Promise<Workbox | undefined> {
  if (import.meta.env.DEV || !('serviceWorker' in navigator)) return undefined;
  const { Workbox } = await import('workbox-window');
  const workbox = new Workbox(new URL('sw.js', document.baseURI).href);
  workbox.addEventListener('waiting', () => {
    onUpdateWaiting(() => {
      workbox.addEventListener('controlling', () => window.location.reload());
      workbox.messageSkipWaiting();
    });
  });
  await workbox.register();
  return workbox;
}

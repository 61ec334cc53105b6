// Where the test browser lives. One answer for Vitest, Playwright and the benches:
// an explicit override, else Debian's Chromium, else Playwright's own download (undefined = let Playwright choose).
import { existsSync } from 'node:fs';

export const CHROMIUM_CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

/** The Chromium executable to launch, or undefined to use Playwright's bundled browser. */
export function chromiumPath() {
  const override = process.env.CHROMIUM_PATH;
  if (override) {
    if (!existsSync(override)) throw new Error(`CHROMIUM_PATH=${override} does not exist: point it at a Chromium binary or unset it.`);
    return override;
  }
  return CHROMIUM_CANDIDATES.find((p) => existsSync(p));
}

/** Flags this sandboxed machine needs: root needs --no-sandbox, and the closed network refuses Chromium's background calls. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
];

/** Launch options for Playwright's chromium.launch(). */
export function chromiumLaunchOptions() {
  const executablePath = chromiumPath();
  return { ...(executablePath ? { executablePath } : {}), args: CHROMIUM_ARGS };
}

// Makes sure a browser for the tests exists before they start, so a fresh machine needs no manual step.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromiumPath } from './find-browser.mjs';

function playwrightBrowserExists() {
  try {
    const { chromium } = createRequire(import.meta.url)('playwright-core');
    return existsSync(chromium.executablePath());
  } catch {
    return false;
  }
}

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const isDebian = existsSync('/etc/debian_version');

if (chromiumPath() || playwrightBrowserExists()) process.exit(0);
if (isDebian && isRoot) {
  console.log('No Chromium found: installing Debian package "chromium" (apt-get)…');
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
  execFileSync('apt-get', ['install', '-y', '-qq', 'chromium'], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  if (chromiumPath()) process.exit(0);
}
console.error(
  'No browser for the tests. Install one of:\n' +
    '  - Debian/Ubuntu: sudo apt-get install chromium\n' +
    '  - elsewhere: npx playwright install chromium\n' +
    'or set CHROMIUM_PATH=/path/to/chromium.',
);
process.exit(1);

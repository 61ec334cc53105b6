import { build } from 'vite';
import { fileURLToPath } from 'node:url';
import { startStaticServer } from '../scripts/serve.mjs';
import { E2E_PORT } from '../playwright.config';

const repo = fileURLToPath(new URL('..', import.meta.url));
export const UPDATE_BUILD_DIR = 'dist-update';

async function buildInto(outDir: string, buildId: string): Promise<void> {
  process.env.FIELDSCOPE_OUT_DIR = outDir;
  process.env.FIELDSCOPE_BUILD_ID = buildId;
  await build({ root: repo, configFile: `${repo}vite.config.ts`, logLevel: 'warn' });
}

/** Builds both app versions (unless FIELDSCOPE_E2E_SKIP_BUILD=1) and serves the first; returns the teardown. */
export default async function globalSetup(): Promise<() => Promise<void>> {
  if (process.env.FIELDSCOPE_E2E_SKIP_BUILD !== '1') {
    await buildInto(`${repo}${UPDATE_BUILD_DIR}`, 'e2e-update');
    await buildInto(`${repo}dist`, 'e2e');
  }
  const server = await startStaticServer({ root: `${repo}dist`, port: E2E_PORT });
  return () => server.stop();
}

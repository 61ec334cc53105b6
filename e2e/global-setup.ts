import { build } from 'vite';
import { startStaticServer } from '../scripts/serve.mjs';
import { startPouchServer } from '../scripts/pouchdb-server.mjs';
import { E2E_PORT } from '../playwright.config';
import { E2E_BUILD_DIR, E2E_UPDATE_BUILD_DIR, repo } from './build-dirs';

async function buildInto(outDir: string, buildId: string): Promise<void> {
  process.env.FIELDSCOPE_OUT_DIR = outDir;
  process.env.FIELDSCOPE_BUILD_ID = buildId;
  await build({ root: repo, configFile: `${repo}vite.config.ts`, logLevel: 'warn' });
}

/** Builds both app versions (unless FIELDSCOPE_E2E_SKIP_BUILD=1), starts pouchdb-server and serves the first; returns the teardown. */
export default async function globalSetup(): Promise<() => Promise<void>> {
  if (process.env.FIELDSCOPE_E2E_SKIP_BUILD !== '1') {
    await buildInto(E2E_UPDATE_BUILD_DIR, 'e2e-update');
    await buildInto(E2E_BUILD_DIR, 'e2e');
  }
  // A real CouchDB-protocol server for the sync tests, behind the app's origin at /db/ and locked down as `npm start`
  // runs it (an admin, a signed-in user required): the tests sign in as that admin (e2e/support/couch.ts).
  const couch = await startPouchServer({ inMemory: true });
  process.env.FIELDSCOPE_E2E_COUCH = couch.url;
  process.env.FIELDSCOPE_E2E_COUCH_ADMIN = JSON.stringify(couch.admin);
  const server = await startStaticServer({ root: E2E_BUILD_DIR, port: E2E_PORT, proxies: { '/db/': couch.url } });
  return async () => {
    await server.stop();
    await couch.stop();
  };
}

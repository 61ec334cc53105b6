// Runs a TypeScript entry of the project in Node with Vite's module runner (the same transform as the tests and the
// build, so no second toolchain): `node scripts/run-ts.mjs server/worker.ts [args…]`. The entry exports
// `main(argv: string[]): Promise<number>`; its result is the exit code.
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runnerImport } from 'vite';

const repo = fileURLToPath(new URL('..', import.meta.url));
const [entry, ...argv] = process.argv.slice(2);
if (!entry) {
  console.error('usage: node scripts/run-ts.mjs <entry.ts> [arguments…]');
  process.exit(2);
}
const { module } = await runnerImport(resolve(entry), {
  configFile: false,
  root: repo,
  logLevel: 'error',
  // As in vite.config.ts: @datadog/sketches-js asks for protobufjs only for a serialisation we do not use.
  resolve: { alias: { 'protobufjs/minimal': resolve(repo, 'compute/statistics/no-protobuf.ts') } },
});
if (typeof module.main !== 'function') {
  console.error(`${entry} exports no main(argv) function.`);
  process.exit(2);
}
process.exitCode = await module.main(argv);

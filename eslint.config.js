// Lint: the directions between folders (what may import what) and no import cycles. `npm run lint`; `npm test` runs it.
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';

/** `target` may not import from `from` (folders), and why. import-x resolves the paths, static and dynamic `import()` alike. */
const directions = [
  { target: './storage', from: ['./gadgets', './compute', './server'], message: 'storage/ is the bottom layer: pages and operations reach it through the Storage interface, never the other way.' },
  { target: './storage/remote', from: ['./storage/replicate', './storage/sync'], message: 'remote/ is the CouchDB client and wire format; the replicator and the sync manager build on it.' },
  {
    target: './compute',
    from: ['./gadgets/app', './gadgets/pages', './gadgets/shared', './gadgets/graph', './gadgets/sync', './server'],
    message: 'compute/ holds operations and kernels that run in workers and on the server: the gadget runtime (gadgets/core) but no user interface.',
  },
  { target: './gadgets/core', from: ['./gadgets/app', './gadgets/pages', './gadgets/graph', './gadgets/shared', './gadgets/sync', './compute'], message: 'core/ is the gadget runtime: it knows no page, shell or document type.' },
  ...['./gadgets/shared', './gadgets/graph', './gadgets/sync'].map((target) => ({
    target,
    from: ['./gadgets/app', './gadgets/pages'],
    message: 'Shared gadgets and contracts live in shared/; the shell (app/) and the route targets (pages/) build on them.',
  })),
  { target: './gadgets/pages', from: ['./gadgets/app'], message: 'A page reaches the shell only through acquisitions (shared/keys.ts); shared contracts are in gadgets/shared/.' },
];

export default tseslint.config(
  { ignores: ['dist*/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'public/**', '.data/**'] },
  {
    files: ['**/*.ts'],
    languageOptions: { parser: tseslint.parser, parserOptions: { sourceType: 'module' } },
    plugins: { '@typescript-eslint': tseslint.plugin, 'import-x': importX },
    settings: { 'import-x/resolver-next': [createTypeScriptImportResolver()] },
    rules: {
      'import-x/no-cycle': 'error',
      'import-x/no-duplicates': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  // Tests may put layers together (a storage test reports through the shell's error panel, a remote test replicates).
  { files: ['**/*.ts'], ignores: ['**/*.test.ts'], rules: { 'import-x/no-restricted-paths': ['error', { zones: directions }] } },
);

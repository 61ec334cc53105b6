// Lint: the directions between folders (what may import what) and no import cycles. `npm run lint`; `npm test` runs it.
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';

/** `files` may not import what `patterns` match (import paths as written, e.g. '../app/keys'), and why. */
function forbid(files, patterns, message) {
  // Tests may put layers together (a storage test reports through the shell's error panel, a remote test replicates).
  return { files, ignores: ['**/*.test.ts'], rules: { 'no-restricted-imports': ['error', { patterns: [{ group: patterns, message }] }] } };
}

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
  forbid(['storage/**/*.ts'], ['**/gadgets/**', '**/compute/**', '**/server/**'], 'storage/ is the bottom layer: pages and operations reach it through the Storage interface, never the other way.'),
  forbid(['storage/remote/**/*.ts'], ['**/replicate/**', '**/sync/**'], 'remote/ is the CouchDB client and wire format; the replicator and the sync manager build on it.'),
  forbid(
    ['compute/**/*.ts'],
    ['**/gadgets/app/**', '**/gadgets/pages/**', '**/gadgets/shared/**', '**/gadgets/graph/**', '**/gadgets/sync/**', '**/server/**'],
    'compute/ holds operations and kernels that run in workers and on the server: the gadget runtime (gadgets/core) but no user interface.',
  ),
  forbid(['gadgets/core/**/*.ts'], ['**/app/**', '**/pages/**', '**/graph/**', '**/shared/**', '**/sync/**', '**/compute/**'], 'core/ is the gadget runtime: it knows no page, shell or document type.'),
  forbid(['gadgets/shared/**/*.ts', 'gadgets/graph/**/*.ts', 'gadgets/sync/**/*.ts'], ['**/app/**', '**/pages/**'], 'Shared gadgets and contracts live in shared/; the shell (app/) and the route targets (pages/) build on them.'),
  forbid(['gadgets/pages/**/*.ts'], ['**/app/**'], 'A page reaches the shell only through acquisitions (shared/keys.ts); shared contracts are in gadgets/shared/.'),
);

import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// The folder directions are only worth having if the lint run refuses a wrong import: lint real paths' text with the project's config.
const eslint = new ESLint({ cwd: new URL('..', import.meta.url).pathname });

async function problemsOf(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((message) => `${message.ruleId}: ${message.message}`);
}

describe('lint: the directions between folders', () => {
  it('refuses a shared part importing the shell, statically or by import()', async () => {
    const problems = await problemsOf('gadgets/shared/x.ts', "import { routes } from '../app/routes';\nexport const later = () => import('../pages/front-page');\nexport { routes };\n");
    expect(problems.filter((p) => p.startsWith('import-x/no-restricted-paths'))).toHaveLength(2);
  });

  it('refuses storage importing a gadget and compute importing a page', async () => {
    expect((await problemsOf('storage/x.ts', "export { storageKey } from '../gadgets/shared/keys';\n")).join()).toMatch(/bottom layer/);
    expect((await problemsOf('compute/x.ts', "export * from '../gadgets/pages/front-page';\n")).join()).toMatch(/no user interface/);
  });

  it('lets a page import shared parts and storage', async () => {
    const code = "import { storageKey } from '../shared/keys';\nimport type { Storage } from '../../storage';\nexport type S = Storage;\nexport { storageKey };\n";
    expect(await problemsOf('gadgets/pages/x.ts', code)).toEqual([]);
  });
});

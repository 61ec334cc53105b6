import { describe, expect, it } from 'vitest';
import { CellCodeError, cellBody } from './cell-code';

const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (body: string) => () => Promise<unknown>;
const run = (source: string, language: 'javascript' | 'typescript' = 'javascript') => new AsyncFunction(cellBody(source, language))();
const globals = globalThis as Record<string, unknown>;

describe('cell code', () => {
  it('returns the last expression and keeps declarations for later cells', async () => {
    expect(await run('let cellA = 20, { cellB } = { cellB: 1 };\nconst cellC = [1]\ncellA + cellB')).toBe(21);
    expect(await run('cellA * 2 + cellC.length')).toBe(41);
    expect(await run('function cellTwice(x) { return 2 * x }\nclass CellPoint { constructor(x) { this.x = x } }')).toBeUndefined();
    expect(await run('cellTwice(new CellPoint(4).x)')).toBe(8);
    expect(globals['cellA']).toBe(20);
  });

  it('awaits at the top level', async () => {
    expect(await run('const cellD = await Promise.resolve(5);\nawait new Promise((r) => setTimeout(r, 1)); cellD')).toBe(5);
  });

  it('strips TypeScript types', async () => {
    expect(await run('interface P { x: number }\nconst cellE: P = { x: 3 } as P;\nfunction cellSquare(v: number): number { return v * v }\ncellSquare(cellE.x)', 'typescript')).toBe(9);
  });

  it('keeps statements that are not last as they are, and returns nothing without a final expression', async () => {
    expect(await run('let cellF = 0; for (let i = 0; i < 3; i++) cellF += i;')).toBeUndefined();
    expect(globals['cellF']).toBe(3);
  });

  it('says which syntax is wrong', () => {
    expect(() => cellBody('let = ;', 'javascript')).toThrow(CellCodeError);
    expect(() => cellBody('let x: = 1', 'typescript')).toThrow(CellCodeError);
    expect(() => cellBody('export const a = 1', 'javascript')).toThrow(/cannot export/);
  });
});

import { describe, expect, it } from 'vitest';
import { evaluateFormula, parseFormula } from './formula';

describe('derived signal formulas', () => {
  it('reads signal names and evaluates over arrays, with precedence and functions', () => {
    const { node, inputs } = parseFormula('Langmuir_I / Langmuir_V + 2 ** 2 * -1 + abs(Langmuir_I) + pi * 0');
    expect(inputs).toEqual(['Langmuir_I', 'Langmuir_V']);
    const values = evaluateFormula(node, new Map([['Langmuir_I', [2, -6]], ['Langmuir_V', [4, 3]]]), 2);
    expect(Array.from(values)).toEqual([2 / 4 - 4 + 2, -6 / 3 - 4 + 6]);
    expect(Array.from(evaluateFormula(parseFormula('max(a, 3) - sqrt(a)').node, new Map([['a', [4, 1]]]), 2))).toEqual([4 - 2, 3 - 1]);
  });

  it('refuses anything but arithmetic: no members, strings, unknown calls or wrong arity', () => {
    expect(() => parseFormula('a.constructor')).toThrow('uses a MemberExpression');
    expect(() => parseFormula('alert(1)')).toThrow('uses a call of alert');
    expect(() => parseFormula('"x" + a')).toThrow('uses the text "x"');
    expect(() => parseFormula('a > b')).toThrow('uses the operator >');
    expect(() => parseFormula('a ? b : 1')).toThrow('uses a ConditionalExpression');
    expect(() => parseFormula('sqrt(a, b)')).toThrow('sqrt takes 1 argument, not 2');
    expect(() => parseFormula('a +')).toThrow('cannot be read');
    expect(() => parseFormula(' ')).toThrow('The formula is empty');
    expect(() => parseFormula('constructor(1)')).toThrow('uses a call of constructor');
  });
});

import jsep from 'jsep';

/**
 * A derived signal's formula over other signals of the same experiment ("Langmuir_I / Langmuir_V",
 * "sqrt(P) * 2 + abs(V)"). Parsed by jsep into a tree of its own kind, checked against a short list of what is allowed
 * (numbers, signal names, + − × ÷ % ** and unary −/+, the functions below, the constants pi and e), then evaluated
 * sample by sample over typed arrays: no code is ever run from the text.
 */
export type FormulaNode =
  | { type: 'number'; value: number }
  | { type: 'signal'; name: string }
  | { type: 'unary'; operator: '-' | '+'; argument: FormulaNode }
  | { type: 'binary'; operator: BinaryOperator; left: FormulaNode; right: FormulaNode }
  | { type: 'call'; name: FunctionName; args: FormulaNode[] };

type BinaryOperator = '+' | '-' | '*' | '/' | '%' | '**';
const BINARY: Record<BinaryOperator, (a: number, b: number) => number> = {
  '+': (a, b) => a + b,
  '-': (a, b) => a - b,
  '*': (a, b) => a * b,
  '/': (a, b) => a / b,
  '%': (a, b) => a % b,
  '**': (a, b) => a ** b,
};

/** Functions a formula may call, with how many arguments each takes. */
const FUNCTIONS = {
  abs: [1, Math.abs],
  sqrt: [1, Math.sqrt],
  exp: [1, Math.exp],
  log: [1, Math.log],
  log10: [1, Math.log10],
  sin: [1, Math.sin],
  cos: [1, Math.cos],
  tan: [1, Math.tan],
  atan2: [2, Math.atan2],
  pow: [2, Math.pow],
  min: [2, Math.min],
  max: [2, Math.max],
} as const satisfies Record<string, readonly [number, (...values: number[]) => number]>;
type FunctionName = keyof typeof FUNCTIONS;

const CONSTANTS: Record<string, number> = { pi: Math.PI, e: Math.E };

/** A formula that cannot be used: the message says where and what is wrong. */
export class FormulaError extends Error {
  override readonly name = 'FormulaError';
  readonly status = 400;
}

/** The formula's tree and the signal names it reads (each once, in order of appearance). */
export function parseFormula(text: string): { node: FormulaNode; inputs: string[] } {
  if (text.trim() === '') throw new FormulaError('The formula is empty: write one over other signals, e.g. “Langmuir_I / Langmuir_V”.');
  let parsed: jsep.Expression;
  try {
    parsed = jsep(text);
  } catch (error) {
    throw new FormulaError(`The formula “${text}” cannot be read: ${error instanceof Error ? error.message : String(error)}.`);
  }
  const inputs: string[] = [];
  const node = convert(parsed, text, inputs);
  return { node, inputs };
}

function convert(expression: jsep.Expression, text: string, inputs: string[]): FormulaNode {
  const refuse = (what: string) => new FormulaError(`The formula “${text}” uses ${what}: only numbers, signal names, + − * / % **, ${Object.keys(FUNCTIONS).join(', ')}, pi and e are allowed.`);
  switch (expression.type) {
    case 'Literal': {
      const { value } = expression as jsep.Literal;
      if (typeof value !== 'number') throw refuse(`the text ${String((expression as jsep.Literal).raw)}`);
      return { type: 'number', value };
    }
    case 'Identifier': {
      const { name } = expression as jsep.Identifier;
      if (name in CONSTANTS) return { type: 'number', value: CONSTANTS[name]! };
      if (!inputs.includes(name)) inputs.push(name);
      return { type: 'signal', name };
    }
    case 'UnaryExpression': {
      const { operator, argument } = expression as jsep.UnaryExpression;
      if (operator !== '-' && operator !== '+') throw refuse(`the operator ${operator}`);
      return { type: 'unary', operator, argument: convert(argument, text, inputs) };
    }
    case 'BinaryExpression': {
      const { operator, left, right } = expression as jsep.BinaryExpression;
      if (!(operator in BINARY)) throw refuse(`the operator ${operator}`);
      return { type: 'binary', operator: operator as BinaryOperator, left: convert(left, text, inputs), right: convert(right, text, inputs) };
    }
    case 'CallExpression': {
      const { callee, arguments: args } = expression as jsep.CallExpression;
      const name = callee.type === 'Identifier' ? (callee as jsep.Identifier).name : '';
      if (!Object.hasOwn(FUNCTIONS, name)) throw refuse(`a call of ${name || 'something that is not a function name'}`);
      const [arity] = FUNCTIONS[name as FunctionName];
      if (args.length !== arity) throw new FormulaError(`In the formula “${text}”, ${name} takes ${arity} argument${arity === 1 ? '' : 's'}, not ${args.length}.`);
      return { type: 'call', name: name as FunctionName, args: args.map((arg) => convert(arg, text, inputs)) };
    }
    default:
      throw refuse(`a ${expression.type}`);
  }
}

/** The formula's values for `length` samples, each input given as that many values. */
export function evaluateFormula(node: FormulaNode, inputs: ReadonlyMap<string, ArrayLike<number>>, length: number): Float64Array<ArrayBuffer> {
  switch (node.type) {
    case 'number':
      return new Float64Array(length).fill(node.value);
    case 'signal': {
      const values = inputs.get(node.name);
      if (!values) throw new FormulaError(`The formula reads “${node.name}”, which was not given.`);
      return Float64Array.from({ length }, (_, index) => values[index] as number);
    }
    case 'unary': {
      const values = evaluateFormula(node.argument, inputs, length);
      if (node.operator === '-') for (let index = 0; index < length; index += 1) values[index] = -values[index]!;
      return values;
    }
    case 'binary': {
      const left = evaluateFormula(node.left, inputs, length);
      const right = evaluateFormula(node.right, inputs, length);
      const apply = BINARY[node.operator];
      for (let index = 0; index < length; index += 1) left[index] = apply(left[index]!, right[index]!);
      return left;
    }
    case 'call': {
      const args = node.args.map((arg) => evaluateFormula(arg, inputs, length));
      const apply = FUNCTIONS[node.name][1] as (...values: number[]) => number;
      const out = new Float64Array(length);
      for (let index = 0; index < length; index += 1) out[index] = apply(...args.map((values) => values[index]!));
      return out;
    }
  }
}

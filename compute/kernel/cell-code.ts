// Turns a cell's source into the body of an async function the kernel calls: types stripped (sucrase), `await` at the
// top level, top-level declarations kept for the next cells, and the last expression's value returned (the cell's
// result, as in a REPL).
import { parse, type Node, type Program } from 'acorn';
import { transform } from 'sucrase';
import type { CellLanguage } from '../notebook/notebook-document';

/** The cell's code does not parse (or is in a language this kernel does not run). */
export class CellCodeError extends Error {
  override readonly name: string;
  readonly status = 400;
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

interface Edit {
  start: number;
  end: number;
  text: string;
}

type Ranged = Node & { start: number; end: number };
interface Identifier extends Ranged {
  type: 'Identifier';
  name: string;
}
interface Declarator extends Ranged {
  id: Ranged;
  init: Ranged | null;
}
interface ImportSpecifier extends Ranged {
  type: 'ImportSpecifier' | 'ImportDefaultSpecifier' | 'ImportNamespaceSpecifier';
  local: Identifier;
  imported?: Identifier | (Ranged & { type: 'Literal'; value: string });
}

function stripTypes(source: string): string {
  try {
    return transform(source, { transforms: ['typescript'], disableESTransforms: true, keepUnusedImports: true }).code;
  } catch (error) {
    throw new CellCodeError('SyntaxError', error instanceof Error ? error.message : String(error));
  }
}

function parseCell(code: string): Program {
  try {
    return parse(code, { ecmaVersion: 'latest', sourceType: 'module', allowAwaitOutsideFunction: true, allowReturnOutsideFunction: true });
  } catch (error) {
    throw new CellCodeError('SyntaxError', error instanceof Error ? error.message : String(error));
  }
}

/** `import {a as b} from 'x'` → `({a: b} = await import('x'))`: a cell is not a module, but may load one. */
function importEdit(code: string, node: Ranged & { specifiers: ImportSpecifier[]; source: Ranged }): string {
  const from = code.slice(node.source.start, node.source.end);
  const namespace = node.specifiers.find((specifier) => specifier.type === 'ImportNamespaceSpecifier');
  if (namespace) return `${namespace.local.name} = await import(${from});`;
  const parts = node.specifiers.map((specifier) => {
    if (specifier.type === 'ImportDefaultSpecifier') return `default: ${specifier.local.name}`;
    const imported = specifier.imported;
    const name = imported?.type === 'Identifier' ? imported.name : JSON.stringify(imported?.value ?? specifier.local.name);
    return `${name}: ${specifier.local.name}`;
  });
  return parts.length === 0 ? `await import(${from});` : `({${parts.join(', ')}} = await import(${from}));`;
}

/**
 * The body of an `async function` running `source`. Top-level `let`, `const`, `var`, `class` and `function`
 * declarations become globals of the kernel (so later cells see them; `const` can then be reassigned, as in a
 * console); the value of a last expression statement is returned.
 */
export function cellBody(source: string, language: Exclude<CellLanguage, 'python'>, cellName = 'cell'): string {
  const code = language === 'typescript' ? stripTypes(source) : source;
  const program = parseCell(code);
  const edits: Edit[] = [];
  const hoisted: string[] = [];
  const text = (node: Ranged) => code.slice(node.start, node.end);
  const body = program.body as unknown as Ranged[];
  body.forEach((statement, index) => {
    const node = statement as Ranged & Record<string, unknown>;
    switch (node.type) {
      case 'VariableDeclaration': {
        const declarators = node['declarations'] as Declarator[];
        const assignments = declarators.map((declarator) => `${text(declarator.id)} = ${declarator.init ? text(declarator.init) : 'undefined'}`);
        edits.push({ start: node.start, end: node.end, text: `void (${assignments.join(', ')});` });
        break;
      }
      case 'FunctionDeclaration': {
        const id = node['id'] as Identifier;
        hoisted.push(`globalThis[${JSON.stringify(id.name)}] = ${id.name};`); // function declarations hoist: set first
        break;
      }
      case 'ClassDeclaration': {
        const id = node['id'] as Identifier;
        edits.push({ start: node.start, end: node.start, text: `${id.name} = ` });
        edits.push({ start: node.end, end: node.end, text: ';' });
        break;
      }
      case 'ImportDeclaration':
        edits.push({ start: node.start, end: node.end, text: importEdit(code, node as unknown as Ranged & { specifiers: ImportSpecifier[]; source: Ranged }) });
        break;
      case 'ExportNamedDeclaration':
      case 'ExportDefaultDeclaration':
      case 'ExportAllDeclaration':
        throw new CellCodeError('SyntaxError', 'A cell cannot export: declare the value at the top level instead, later cells see it.');
      case 'ExpressionStatement':
        if (index === body.length - 1) edits.push({ start: node.start, end: node.end, text: `return (${text(node['expression'] as Ranged)});` });
        break;
      default:
        break;
    }
  });
  let rewritten = code;
  for (const edit of edits.sort((a, b) => b.start - a.start || b.end - a.end)) {
    rewritten = rewritten.slice(0, edit.start) + edit.text + rewritten.slice(edit.end);
  }
  return `${hoisted.join('\n')}\n${rewritten}\n//# sourceURL=${cellName}`;
}

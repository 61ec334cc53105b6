import { StorageError } from '../storage-error';

/** A comparison written in a query; absent means the default like-match (`key:value`). */
export type QueryOperator = '=' | '!=' | '<' | '<=' | '>' | '>=';

export type QueryNode =
  | { type: 'and' | 'or'; children: QueryNode[] }
  | { type: 'not'; child: QueryNode }
  /** `key` undefined: a bare value, matching any property. */
  | { type: 'simple'; key: string | undefined; operator: QueryOperator | undefined; value: string };

type Token =
  | { kind: '(' | ')' | ':' | 'AND' | 'OR' | 'NOT' | 'end'; position: number }
  | { kind: 'operator'; operator: QueryOperator; position: number }
  | { kind: 'word' | 'string'; text: string; position: number };

const operators: QueryOperator[] = ['!=', '<=', '>=', '=', '<', '>'];

/**
 * How deep parentheses and NOTs may nest. The parser recurses once per level: without a limit a query of a few
 * thousand `(` (a pasted link, a fuzzer) overflows the stack instead of being refused. No sensible query comes close.
 */
export const MAX_QUERY_DEPTH = 100;

/**
 * Parses jIO's query language:
 * `key:value` (like-match, `%` any run of characters, `_` one character, case-insensitive), `key:=v`, `key:!=v`,
 * `key:<v` `<=` `>` `>=`, `key:(a OR b)`, `"quoted \"strings\""`, AND / OR / NOT (AND binds tighter than OR, NOT
 * tightest), juxtaposition as AND, parentheses, and bare values matching any property.
 * A malformed query, or one nested deeper than MAX_QUERY_DEPTH, throws StorageError 400 with `details.position`
 * (0-based) and the query text.
 */
export function parseQuery(query: string): QueryNode {
  const parser = new Parser(query, tokenize(query));
  const node = parser.parseOr(undefined);
  parser.expect('end');
  return node;
}

function tokenize(query: string): Token[] {
  const tokens: Token[] = [];
  let index = 0;
  while (index < query.length) {
    const character = query[index] as string;
    if (/\s/.test(character)) {
      index += 1;
    } else if (character === '(' || character === ')' || character === ':') {
      tokens.push({ kind: character, position: index });
      index += 1;
    } else if (character === '"') {
      const start = index;
      let text = '';
      index += 1;
      for (;;) {
        if (index >= query.length) throw syntaxError(query, start, 'a quoted string is not closed');
        const next = query[index] as string;
        if (next === '"') break;
        if (next === '\\') {
          index += 1;
          if (index >= query.length) throw syntaxError(query, index - 1, 'a backslash ends the query');
        }
        text += query[index];
        index += 1;
      }
      tokens.push({ kind: 'string', text, position: start });
      index += 1;
    } else {
      const operator = tokens.at(-1)?.kind === ':' ? operators.find((candidate) => query.startsWith(candidate, index)) : undefined;
      if (operator) {
        tokens.push({ kind: 'operator', operator, position: index });
        index += operator.length;
        continue;
      }
      const start = index;
      while (index < query.length && !/[\s():"]/.test(query[index] as string)) index += 1;
      const text = query.slice(start, index);
      if (text === 'AND' || text === 'OR' || text === 'NOT') tokens.push({ kind: text, position: start });
      else tokens.push({ kind: 'word', text, position: start });
    }
  }
  tokens.push({ kind: 'end', position: query.length });
  return tokens;
}

class Parser {
  private index = 0;
  private depth = 0;

  constructor(
    private readonly query: string,
    private readonly tokens: Token[],
  ) {}

  private get token(): Token {
    return this.tokens[this.index] as Token;
  }

  expect(kind: Token['kind']): Token {
    const token = this.token;
    if (token.kind !== kind) throw syntaxError(this.query, token.position, `expected ${describe(kind)} but found ${describe(token.kind)}`);
    this.index += 1;
    return token;
  }

  /** `key` is set inside `key:( … )`, where bare values compare that key. */
  parseOr(key: string | undefined): QueryNode {
    const children = [this.parseAnd(key)];
    while (this.token.kind === 'OR') {
      this.index += 1;
      children.push(this.parseAnd(key));
    }
    return children.length === 1 ? (children[0] as QueryNode) : { type: 'or', children };
  }

  private parseAnd(key: string | undefined): QueryNode {
    const children = [this.parseNot(key)];
    for (;;) {
      const kind = this.token.kind;
      if (kind === 'AND') this.index += 1;
      else if (kind === ')' || kind === 'OR' || kind === 'end') break;
      children.push(this.parseNot(key)); // AND, or juxtaposition (implicit AND)
    }
    return children.length === 1 ? (children[0] as QueryNode) : { type: 'and', children };
  }

  private parseNot(key: string | undefined): QueryNode {
    if (this.token.kind === 'NOT') {
      return this.nested(() => {
        this.index += 1;
        return { type: 'not', child: this.parseNot(key) };
      });
    }
    return this.parsePrimary(key);
  }

  /** One level deeper (a `NOT` or a parenthesised group at the current token), refused past MAX_QUERY_DEPTH. */
  private nested(parse: () => QueryNode): QueryNode {
    if (this.depth >= MAX_QUERY_DEPTH) {
      throw syntaxError(this.query, this.token.position, `parentheses and NOT nest more than ${MAX_QUERY_DEPTH} deep here; write the query with fewer levels`);
    }
    this.depth += 1;
    try {
      return parse();
    } finally {
      this.depth -= 1;
    }
  }

  /** `( … )` at the current token: its contents, with `key` applying inside when given. */
  private parseGroup(key: string | undefined): QueryNode {
    return this.nested(() => {
      this.index += 1;
      const node = this.parseOr(key);
      this.expect(')');
      return node;
    });
  }

  private parsePrimary(key: string | undefined): QueryNode {
    const token = this.token;
    if (token.kind === '(') return this.parseGroup(key);
    if (token.kind === 'operator') throw syntaxError(this.query, token.position, 'an operator needs a key before it (key:>=value)');
    if (token.kind !== 'word' && token.kind !== 'string') {
      throw syntaxError(this.query, token.position, `expected a value, a key:value or "(" but found ${describe(token.kind)}`);
    }
    this.index += 1;
    if (this.token.kind === ':') {
      if (key !== undefined) throw syntaxError(this.query, this.token.position, `a key inside ${key}:( … ) cannot have its own key`);
      this.index += 1;
      return this.parseValue(token.text);
    }
    return { type: 'simple', key, operator: undefined, value: token.text };
  }

  /** After `key:`: an optional operator, then a value or a parenthesised group applying to the key. */
  private parseValue(key: string): QueryNode {
    let operator: QueryOperator | undefined;
    const token = this.token;
    if (token.kind === 'operator') {
      operator = token.operator;
      this.index += 1;
    }
    const value = this.token;
    if (value.kind === '(' && operator === undefined) return this.parseGroup(key);
    if (value.kind !== 'word' && value.kind !== 'string') {
      throw syntaxError(this.query, value.position, `expected a value after "${key}:" but found ${describe(value.kind)}`);
    }
    this.index += 1;
    return { type: 'simple', key, operator, value: value.text };
  }
}

function describe(kind: Token['kind']): string {
  return kind === 'end' ? 'the end of the query' : kind === 'word' || kind === 'string' ? 'a value' : kind === 'operator' ? 'an operator' : `"${kind}"`;
}

function syntaxError(query: string, position: number, problem: string): StorageError {
  return new StorageError(400, `The query cannot be read at position ${position}: ${problem}. Query: ${query}`, { query, position });
}

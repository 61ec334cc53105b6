import { describe, expect, it } from 'vitest';
import { FuzzCheckFailed, runFuzz, type Fuzzer } from '../testing/fuzz';
import { isStorageError } from '../storage-error';
import { parseQuery } from './query-parser';
import { matchesQuery } from './query-match';
import type { Doc } from '../types';

/**
 * The query language under fuzzing: random text, damaged valid queries and deep nesting are parsed and matched
 * against small documents. Only a StorageError 400 with the position may come out of parsing; matching never throws
 * and agrees with a plain dynamic-programming LIKE matcher. Queries stay short (nesting cases excepted) and documents
 * under 64 characters, so the work per input is bounded (a backtracking matcher shows as a timeout).
 */

const INPUTS = 4000;

/** The characters documents and patterns are made of: the wildcards, case pairs, and non-ASCII case pairs. */
const TEXT_ALPHABET = ['a', 'b', 'A', 'B', '#', ' ', '.', '*', '(', 'é', 'É', 'ß', 'ſ', 'S', 's', 'K', '\u212a', '\u{1F600}'];
const PATTERN_ALPHABET = [...TEXT_ALPHABET, '%', '%', '%', '_', '_'];
/** Mostly wildcards: where a backtracking matcher spends its time. */
const WILDCARD_ALPHABET = ['%', '%', '%', '%', '%', '_', 'a', '#'];

const TOKENS = ['title', 'size', 'tags', 'date', ':', ':', '=', '!=', '<', '<=', '>', '>=', 'AND', 'OR', 'NOT', '(', ')', '"', '\\', '%', '_', 'pump', '2024-05', '10', '-3.5', '"Pump North"', ' ', ' ', '\t'];

function randomText(fuzzer: Fuzzer, alphabet: readonly string[], maxLength: number): string {
  return Array.from({ length: fuzzer.int(0, maxLength) }, () => fuzzer.pick(alphabet)).join('');
}

/** One code unit at a time, compared as RegExp's case-insensitive mode does (the matcher's documented behaviour). */
const sameLetter = new Map<string, boolean>();
function equalIgnoringCase(a: string, b: string): boolean {
  const key = `${a}\u0000${b}`;
  let same = sameLetter.get(key);
  if (same === undefined) {
    same = new RegExp(`^${a.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`, 'i').test(b);
    sameLetter.set(key, same);
  }
  return same;
}

/** The reference LIKE: `%` any run, `_` one UTF-16 code unit (an emoji is two), whole text, in O(text × pattern). */
function likeByTable(text: string, pattern: string): boolean {
  let row = new Array<boolean>(text.length + 1).fill(false);
  row[0] = true;
  for (let index = 0; index < pattern.length; index += 1) {
    const symbol = pattern[index]!;
    const next = new Array<boolean>(text.length + 1).fill(false);
    if (symbol === '%') {
      for (let at = 0; at <= text.length; at += 1) next[at] = row[at]! || (at > 0 && next[at - 1]!);
    } else {
      for (let at = 1; at <= text.length; at += 1) next[at] = row[at - 1]! && (symbol === '_' || equalIgnoringCase(symbol, text[at - 1]!));
    }
    row = next;
  }
  return row[text.length]!;
}

type QueryInput = { kind: 'like'; text: string; pattern: string } | { kind: 'query'; query: string };

function generate(fuzzer: Fuzzer): QueryInput {
  switch (fuzzer.int(0, 5)) {
    case 0:
      return { kind: 'like', text: randomText(fuzzer, TEXT_ALPHABET, 40), pattern: randomText(fuzzer, PATTERN_ALPHABET, 24) };
    case 1:
      return { kind: 'like', text: randomText(fuzzer, TEXT_ALPHABET, 40), pattern: randomText(fuzzer, WILDCARD_ALPHABET, 24) };
    case 2: {
      // Deep nesting: parentheses, NOT, or key groups, some closed and some not.
      const depth = fuzzer.pick([10, 100, 1000, 5000, 20000]);
      const open = fuzzer.pick(['(', 'NOT ', 'title:(', 'NOT (']);
      return { kind: 'query', query: open.repeat(depth) + 'pump' + (open.includes('(') && fuzzer.chance(0.7) ? ')'.repeat(depth) : '') };
    }
    case 3:
      return { kind: 'query', query: randomText(fuzzer, [...PATTERN_ALPHABET, ':', '(', ')', '"', '\\', '=', '<', '>', '!'], 80) };
    default:
      return { kind: 'query', query: Array.from({ length: fuzzer.int(1, 16) }, () => fuzzer.pick(TOKENS)).join(fuzzer.pick(['', ' '])) };
  }
}

const DOCS: Doc[] = [
  { title: 'Pump North', size: 10, date: '2024-05-03T10:20:00Z', tags: ['field', 'pump'] },
  { title: 'pump south ßé', size: '200', date: 'not a date', tags: [] },
  { title: '', size: -3.5, nested: { title: 'x' } },
];

function check(input: QueryInput): void {
  if (input.kind === 'like') {
    const node = parseQuery(`title:${JSON.stringify(input.pattern)}`);
    const got = matchesQuery(node, { title: input.text });
    const expected = likeByTable(input.text, input.pattern);
    if (got !== expected) throw new FuzzCheckFailed(`“${input.text}” LIKE “${input.pattern}”: matched ${got}, the reference says ${expected}`);
    return;
  }
  let node;
  try {
    node = parseQuery(input.query);
  } catch (error) {
    if (isStorageError(error, 400) && typeof error.details['position'] === 'number') throw error;
    throw isStorageError(error) ? new FuzzCheckFailed(`a ${error.status} without a position: ${error.message}`) : error;
  }
  for (const doc of DOCS) matchesQuery(node, doc); // matching a parsed query never throws
}

describe('query language under fuzzing', () => {
  it('parses or refuses with a positioned 400, and LIKE agrees with the reference matcher', { timeout: 30_000 }, () => {
    const report = runFuzz('query', { seed: 5, inputs: INPUTS, generate, check, isNamed: (error) => isStorageError(error, 400) });
    expect(report.crashes).toEqual([]);
    expect(report.namedErrors).toBeGreaterThan(INPUTS / 10);
    expect(report.inputs - report.namedErrors).toBeGreaterThan(INPUTS / 10);
  });
});

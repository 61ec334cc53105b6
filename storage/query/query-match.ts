import type { Doc } from '../types';
import type { QueryNode, QueryOperator } from './query-parser';
import { LikePattern } from './like-pattern';

/**
 * How one key is read and compared (jIO's key_schema): `readFrom` names the property holding the value, `castTo`
 * converts both the document's value and the query's before comparing, `equalMatch` replaces equality (and the
 * default like-match) for that key.
 */
export interface KeyDefinition {
  readFrom?: string;
  castTo?: (value: unknown) => unknown;
  equalMatch?: (docValue: unknown, queryValue: unknown) => boolean;
}

export type KeySchema = Record<string, KeyDefinition>;

/**
 * Whether a document matches a parsed query. Rules:
 * - a missing property matches nothing (not even `!=`; use `NOT key:v` to include documents without it);
 * - an array matches when any element matches (`!=`: when no element equals);
 * - numbers compare as numbers when both sides are numeric;
 * - a date-like query value (`2024`, `2024-05`, `2024-05-03T10:20`…) against a date string compares at the query's
 *   precision: `date:2024-05` is all of May, `date:>2024-05` starts in June;
 * - the default operator like-matches case-insensitively, `%` and `_` being wildcards.
 */
export function matchesQuery(node: QueryNode, doc: Doc, schema: KeySchema = {}): boolean {
  switch (node.type) {
    case 'and':
      return node.children.every((child) => matchesQuery(child, doc, schema));
    case 'or':
      return node.children.some((child) => matchesQuery(child, doc, schema));
    case 'not':
      return !matchesQuery(node.child, doc, schema);
    case 'simple': {
      if (node.key === undefined) return Object.values(doc).some((value) => matchesValue(value, undefined, node.value, {}));
      const definition = schema[node.key] ?? {};
      return matchesValue(doc[definition.readFrom ?? node.key], node.operator, node.value, definition);
    }
  }
}

function matchesValue(value: unknown, operator: QueryOperator | undefined, queryValue: string, definition: KeyDefinition): boolean {
  if (value === undefined || value === null) return false;
  if (Array.isArray(value)) {
    if (operator === '!=') return value.length > 0 && !value.some((element) => compare(element, '=', queryValue, definition));
    return value.some((element) => compare(element, operator, queryValue, definition));
  }
  return compare(value, operator, queryValue, definition);
}

function compare(rawValue: unknown, operator: QueryOperator | undefined, rawQuery: string, definition: KeyDefinition): boolean {
  const value = definition.castTo ? definition.castTo(rawValue) : rawValue;
  const query = definition.castTo ? definition.castTo(rawQuery) : rawQuery;
  if ((operator === undefined || operator === '=' || operator === '!=') && definition.equalMatch) {
    return definition.equalMatch(value, query) !== (operator === '!=');
  }
  if (typeof value === 'object' && value !== null && !(value instanceof Date)) return false;

  const interval = typeof query === 'string' && isDateLike(value) ? dateInterval(query) : undefined;
  if (interval) return compareToInterval(toTime(value), operator ?? '=', interval);

  if (operator === undefined) return typeof query === 'string' ? likeMatch(String(value), query) : value === query;
  const ordered = order(value, query);
  if (ordered === undefined) return operator === '!=';
  switch (operator) {
    case '=':
      return ordered === 0;
    case '!=':
      return ordered !== 0;
    case '<':
      return ordered < 0;
    case '<=':
      return ordered <= 0;
    case '>':
      return ordered > 0;
    case '>=':
      return ordered >= 0;
  }
}

/** -1, 0 or 1: numerically when both are numeric, else as strings; undefined for values that do not compare. */
export function order(a: unknown, b: unknown): number | undefined {
  const left = scalar(a);
  const right = scalar(b);
  if (left === undefined || right === undefined) return undefined;
  const leftNumber = Number(left);
  const rightNumber = Number(right);
  if (left !== '' && right !== '' && !Number.isNaN(leftNumber) && !Number.isNaN(rightNumber)) {
    return Math.sign(leftNumber - rightNumber);
  }
  const leftText = String(left);
  const rightText = String(right);
  return leftText < rightText ? -1 : leftText > rightText ? 1 : 0;
}

function scalar(value: unknown): string | number | undefined {
  if (typeof value === 'string' || typeof value === 'number') return value;
  if (typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString();
  return undefined;
}

const likeCache = new Map<string, LikePattern>();

function likeMatch(text: string, pattern: string): boolean {
  let compiled = likeCache.get(pattern);
  if (!compiled) {
    compiled = new LikePattern(pattern);
    if (likeCache.size > 500) likeCache.clear();
    likeCache.set(pattern, compiled);
  }
  return compiled.matches(text);
}

const datePattern = /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:[T ](\d{2})(?::(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?)?)?)?)?(Z|[+-]\d{2}:?\d{2})?$/;

function isDateLike(value: unknown): boolean {
  if (value instanceof Date) return true;
  return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}/.test(value) && !Number.isNaN(Date.parse(value));
}

function toTime(value: unknown): number {
  return value instanceof Date ? value.getTime() : Date.parse(value as string);
}

/** The time interval [start, end) a date written to some precision stands for (UTC unless a zone is given). */
function dateInterval(text: string): { start: number; end: number } | undefined {
  const match = datePattern.exec(text.trim());
  if (!match) return undefined;
  const parts = match.slice(1, 8).map((part) => (part === undefined ? undefined : Number(part)));
  const given = parts.findIndex((part) => part === undefined);
  const precision = given === -1 ? 7 : given; // how many of year, month, day, hour, minute, second, millisecond
  const [year = 0, month = 1, day = 1, hour = 0, minute = 0, second = 0, millisecond = 0] = parts;
  const zone = match[8];
  const offsetMs = !zone || zone === 'Z' ? 0 : zoneOffset(zone);
  const fields = [year, month - 1, day, hour, minute, second, millisecond];
  const start = Date.UTC(year, month - 1, day, hour, minute, second, millisecond) - offsetMs;
  const next = [...fields];
  next[precision - 1] = (next[precision - 1] as number) + 1;
  const end = Date.UTC(next[0] as number, next[1] as number, next[2], next[3], next[4], next[5], next[6]) - offsetMs;
  return { start, end };
}

function zoneOffset(zone: string): number {
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
}

function compareToInterval(time: number, operator: QueryOperator, { start, end }: { start: number; end: number }): boolean {
  if (Number.isNaN(time)) return false;
  switch (operator) {
    case '=':
      return time >= start && time < end;
    case '!=':
      return time < start || time >= end;
    case '<':
      return time < start;
    case '<=':
      return time < end;
    case '>':
      return time >= end;
    case '>=':
      return time >= start;
  }
}

import { describe, expect, test } from 'vitest';
import { formatHash, matchRoute, parseHash, RouteSyntaxError, type RouteDefinition } from './router';

const load = async () => undefined;
const routes: RouteDefinition[] = [
  { pattern: '', title: 'Fieldscope', tag: 'fs-front-page', load },
  { pattern: 'arrays', title: 'Data Arrays', tag: 'fs-list', load, defaults: { portal_type: 'Data Array' } },
  {
    pattern: 'array/:id',
    title: 'Data Array',
    tag: 'fs-array-page',
    load,
    validate: (params) => (params.start !== undefined && !/^\d+$/.test(params.start) ? `start must be a whole number, not "${params.start}".` : undefined),
  },
];

describe('parseHash', () => {
  test('splits path segments and query, decoding both', () => {
    expect(parseHash('#/array/a%20b?start=10&end=20&q=x+y')).toEqual({ segments: ['array', 'a b'], query: { start: '10', end: '20', q: 'x y' } });
  });
  test('empty hash, bare slash and doubled slashes all mean the front page', () => {
    expect(parseHash('').segments).toEqual([]);
    expect(parseHash('#/').segments).toEqual([]);
    expect(parseHash('#//arrays//').segments).toEqual(['arrays']);
  });
  test('a key without value is kept with an empty value', () => {
    expect(parseHash('#/x?flag').query).toEqual({ flag: '' });
  });
  test('malformed escapes throw a RouteSyntaxError with status 400', () => {
    expect(() => parseHash('#/array/%E0%A4%A')).toThrow(RouteSyntaxError);
    try {
      parseHash('#/array/%zz');
    } catch (error) {
      expect((error as RouteSyntaxError).status).toBe(400);
      expect((error as Error).message).toMatch(/damaged/);
    }
  });
});

describe('matchRoute', () => {
  test('front page', () => {
    const match = matchRoute('#/', routes);
    expect(match.kind === 'page' && match.route.tag).toBe('fs-front-page');
  });
  test('captures parameters and merges query and defaults', () => {
    const match = matchRoute('#/array/abc?start=5', routes);
    expect(match).toMatchObject({ kind: 'page', params: { id: 'abc', start: '5' } });
    expect(matchRoute('#/arrays?q=x', routes)).toMatchObject({ kind: 'page', params: { portal_type: 'Data Array', q: 'x' } });
  });
  test('path parameters win over a query of the same name', () => {
    expect(matchRoute('#/array/abc?id=other', routes)).toMatchObject({ params: { id: 'abc' } });
  });
  test('unknown route is not-found with its path', () => {
    expect(matchRoute('#/nowhere/else', routes)).toEqual({ kind: 'not-found', path: 'nowhere/else' });
    expect(matchRoute('#/array', routes).kind).toBe('not-found');
  });
  test('bad parameters give a bad-link with the validator message', () => {
    const match = matchRoute('#/array/abc?start=ten', routes);
    expect(match).toMatchObject({ kind: 'bad-link', message: 'start must be a whole number, not "ten".' });
  });
  test('a damaged link is a bad-link, never an exception', () => {
    expect(matchRoute('#/array/%E0%A4%A', routes).kind).toBe('bad-link');
  });
});

describe('formatHash', () => {
  test('round-trips through matchRoute', () => {
    const hash = formatHash('array/:id', { id: 'a/b c', end: '9', start: '1' });
    expect(hash).toBe('#/array/a%2Fb%20c?end=9&start=1');
    expect(matchRoute(hash, routes)).toMatchObject({ kind: 'page', params: { id: 'a/b c', start: '1', end: '9' } });
  });
  test('front page', () => {
    expect(formatHash('')).toBe('#/');
  });
  test('a missing path parameter is an error saying which', () => {
    expect(() => formatHash('array/:id', {})).toThrow(/needs a value for "id"/);
  });
});

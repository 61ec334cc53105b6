/**
 * Hash routing: `#/path/segments?key=value`. Pure functions, so deep links are testable without a browser.
 * A route pattern is a path with `:name` placeholders, e.g. `array/:id`; the empty pattern is the front page.
 */

export type RouteParams = Record<string, string>;

export interface RouteDefinition {
  /** Path pattern without leading slash; `:name` segments capture a parameter. */
  pattern: string;
  /** Shown in the header and the document title. */
  title: string;
  /** Custom element name of the page gadget. */
  tag: string;
  /** Lazily imports the module that defines `tag` (keeps pages out of the initial bundle). */
  load: () => Promise<unknown>;
  /** Parameters the page gets when the link does not give them (e.g. which portal type a list shows). */
  defaults?: RouteParams;
  /** Returns a message saying what is wrong with the parameters, or undefined when they are fine. */
  validate?: (params: RouteParams) => string | undefined;
}

export type RouteMatch =
  | { kind: 'page'; route: RouteDefinition; params: RouteParams }
  | { kind: 'not-found'; path: string }
  | { kind: 'bad-link'; path: string; message: string; route?: RouteDefinition };

/** Splits `#/a/b?x=1` into decoded path segments and query parameters; throws RouteSyntaxError on malformed escapes. */
export function parseHash(hash: string): { segments: string[]; query: RouteParams } {
  const body = hash.replace(/^#/, '').replace(/^\/+/, '');
  const queryStart = body.indexOf('?');
  const path = queryStart === -1 ? body : body.slice(0, queryStart);
  const search = queryStart === -1 ? '' : body.slice(queryStart + 1);
  const segments = path.split('/').filter((segment) => segment !== '').map((segment) => decode(segment));
  const query: RouteParams = {};
  for (const pair of search.split('&')) {
    if (pair === '') continue;
    const equals = pair.indexOf('=');
    const key = decode((equals === -1 ? pair : pair.slice(0, equals)).replace(/\+/g, ' '));
    query[key] = equals === -1 ? '' : decode(pair.slice(equals + 1).replace(/\+/g, ' '));
  }
  return { segments, query };
}

/** Finds the route for a location hash. Never throws: malformed links come back as `bad-link` with a message. */
export function matchRoute(hash: string, routes: readonly RouteDefinition[]): RouteMatch {
  let parsed: { segments: string[]; query: RouteParams };
  try {
    parsed = parseHash(hash);
  } catch (error) {
    return { kind: 'bad-link', path: hash, message: (error as Error).message };
  }
  const path = parsed.segments.join('/');
  for (const route of routes) {
    const captured = matchPattern(route.pattern, parsed.segments);
    if (!captured) continue;
    const params = { ...route.defaults, ...parsed.query, ...captured };
    const problem = route.validate?.(params);
    if (problem) return { kind: 'bad-link', path, message: problem, route };
    return { kind: 'page', route, params };
  }
  return { kind: 'not-found', path };
}

/**
 * Builds a hash link from a pattern and parameters: `formatHash('array/:id', {id: 'a b', start: '5'})` → `#/array/a%20b?start=5`.
 * Parameters not used by the pattern become the query, in key order so links are stable.
 */
export function formatHash(pattern: string, params: RouteParams = {}): string {
  const used = new Set<string>();
  const path = pattern
    .split('/')
    .filter((segment) => segment !== '')
    .map((segment) => {
      if (!segment.startsWith(':')) return segment;
      const name = segment.slice(1);
      const value = params[name];
      if (value === undefined || value === '') throw new RouteSyntaxError(`Link to "${pattern}" needs a value for "${name}".`);
      used.add(name);
      return encodeURIComponent(value);
    })
    .join('/');
  const query = Object.keys(params)
    .filter((key) => !used.has(key))
    .sort()
    .map((key) => `${encodeURIComponent(key)}=${encodeURIComponent(params[key] ?? '')}`)
    .join('&');
  return `#/${path}${query ? `?${query}` : ''}`;
}

/** A link that cannot be read (bad escape) or built (missing parameter). */
export class RouteSyntaxError extends Error {
  override name = 'RouteSyntaxError';
  readonly status = 400;
}

function matchPattern(pattern: string, segments: string[]): RouteParams | undefined {
  const parts = pattern.split('/').filter((part) => part !== '');
  if (parts.length !== segments.length) return undefined;
  const params: RouteParams = {};
  for (const [index, part] of parts.entries()) {
    const segment = segments[index] as string;
    if (part.startsWith(':')) params[part.slice(1)] = segment;
    else if (part !== segment) return undefined;
  }
  return params;
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new RouteSyntaxError(`This link is damaged ("${text}" is not valid URL encoding). Check the address or open the front page.`);
  }
}

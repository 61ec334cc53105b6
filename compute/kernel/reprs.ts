// The MIME bundle of a value a cell shows (its result, or display(value)): the rich form the page renders, and
// text/plain always, as Jupyter does.
import type { MimeBundle } from './messages';

/** MIME type of a table the page renders itself (no HTML): `{columns, rows}`. */
export const TABLE_MIME = 'application/vnd.fieldscope.table+json';
/** MIME type of a Data Array the page draws with its graph gadget: `{id}`. */
export const ARRAY_MIME = 'application/vnd.fieldscope.array+json';

/** A value that says how it is shown: the page renders the richest type it knows. */
export const REPR = Symbol.for('fieldscope.repr');
export interface WithRepr {
  [REPR]: MimeBundle;
}

function hasRepr(value: unknown): value is WithRepr {
  return typeof value === 'object' && value !== null && REPR in value;
}

/** HTML output: rendered in a sandboxed iframe of its own (opaque origin), never in the app's page. */
export function html(markup: string): WithRepr {
  return { [REPR]: { 'text/html': String(markup), 'text/plain': '[HTML]' } };
}

/** A Data Array by id, drawn as the app's graph. */
export function arrayView(id: string): WithRepr {
  return { [REPR]: { [ARRAY_MIME]: { id }, 'text/plain': `Data Array ${id}` } };
}

const MAX_ROWS = 100;
const MAX_TEXT = 20_000;

type Typed = Float32Array | Float64Array | Int8Array | Int16Array | Int32Array | Uint8Array | Uint8ClampedArray | Uint16Array | Uint32Array;
function isTyped(value: unknown): value is Typed {
  return ArrayBuffer.isView(value) && !(value instanceof DataView) && !(value instanceof BigInt64Array) && !(value instanceof BigUint64Array);
}

/** A short text form, as a console shows values. */
export function inspect(value: unknown, depth = 0): string {
  if (typeof value === 'string') return depth === 0 ? value : JSON.stringify(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'function') return `[Function ${value.name || '(anonymous)'}]`;
  if (typeof value === 'symbol' || typeof value !== 'object' || value === null) return String(value);
  if (value instanceof Error) return `${value.name}: ${value.message}`;
  if (value instanceof Date) return value.toISOString();
  if (isTyped(value)) {
    const shown = Array.from(value.subarray(0, 10), (item) => String(item)).join(', ');
    return `${value.constructor.name}(${value.length}) [${shown}${value.length > 10 ? ', …' : ''}]`;
  }
  if (depth > 2) return Array.isArray(value) ? '[…]' : '{…}';
  if (Array.isArray(value)) return `[${value.slice(0, 100).map((item) => inspect(item, depth + 1)).join(', ')}${value.length > 100 ? ', …' : ''}]`;
  if (value instanceof Map) return `Map(${value.size}) {${[...value].slice(0, 50).map(([k, v]) => `${inspect(k, depth + 1)} => ${inspect(v, depth + 1)}`).join(', ')}}`;
  if (value instanceof Set) return `Set(${value.size}) {${[...value].slice(0, 50).map((item) => inspect(item, depth + 1)).join(', ')}}`;
  const entries = Object.entries(value).slice(0, 50);
  return `{${entries.map(([key, item]) => `${key}: ${inspect(item, depth + 1)}`).join(', ')}}`;
}

function clipped(text: string): string {
  return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}… (${text.length - MAX_TEXT} more characters)` : text;
}

function table(values: ArrayLike<number>): { columns: string[]; rows: number[][]; total: number } {
  const rows: number[][] = [];
  for (let index = 0; index < Math.min(values.length, MAX_ROWS); index += 1) rows.push([index, Number(values[index])]);
  return { columns: ['index', 'value'], rows, total: values.length };
}

function base64(bytes: Uint8Array): string {
  let binary = '';
  for (let offset = 0; offset < bytes.length; offset += 0x8000) binary += String.fromCharCode(...bytes.subarray(offset, offset + 0x8000));
  return btoa(binary);
}

/** The bundle of `value` (a Blob image needs reading, hence async); undefined shows nothing. */
export async function mimeBundleOf(value: unknown): Promise<MimeBundle | undefined> {
  if (value === undefined) return undefined;
  if (hasRepr(value)) return { 'text/plain': inspect(value), ...value[REPR] };
  if (typeof Blob !== 'undefined' && value instanceof Blob && /^image\/(png|jpeg|gif|webp)$/.test(value.type)) {
    return { [value.type]: base64(new Uint8Array(await value.arrayBuffer())), 'text/plain': `[${value.type} image, ${value.size} bytes]` };
  }
  const text = clipped(inspect(value));
  if (isTyped(value) || (Array.isArray(value) && value.length > 0 && value.every((item) => typeof item === 'number'))) {
    return { 'text/plain': text, [TABLE_MIME]: table(value as ArrayLike<number>) };
  }
  return { 'text/plain': text };
}

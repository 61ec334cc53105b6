import { readFileSync } from 'node:fs';
import { CouchClient } from '../storage/remote/couch-client';
import { maskCredentials } from '../storage/remote/mask-credentials';

/** A command line that cannot be used as it is; the message says what to write instead. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  readonly status = 2;
}

/** `--name value` and `--flag` arguments, and the others in order. */
export function parseArguments(argv: readonly string[], flags: readonly string[]): { values: Map<string, string>; flags: Set<string>; rest: string[] } {
  const values = new Map<string, string>();
  const set = new Set<string>();
  const rest: string[] = [];
  for (let index = 0; index < argv.length; index += 1) {
    const argument = argv[index]!;
    if (argument === '--') continue;
    if (!argument.startsWith('--') || argument === '-') {
      rest.push(argument);
      continue;
    }
    const name = argument.slice(2);
    if (flags.includes(name)) {
      set.add(name);
      continue;
    }
    const value = argv[index + 1];
    if (value === undefined) throw new UsageError(`--${name} needs a value.`);
    values.set(name, value);
    index += 1;
  }
  return { values, flags: set, rest };
}

/** A whole number option ≥ 0, or its default. */
export function numberOption(values: Map<string, string>, name: string, fallback: number): number {
  const text = values.get(name);
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0) throw new UsageError(`--${name} must be a number ≥ 0, not "${text}".`);
  return value;
}

/**
 * The database client for `--remote URL` with credentials from `--user` and `--password-file` (a file holding the
 * password, or a JSON file with `password`, e.g. pouchdb-server's admin.json), the FIELDSCOPE_PASSWORD variable, or the
 * URL's own `name:password@`. Basic authentication on every request: no session to expire in a long-running worker.
 */
export function remoteClient(values: Map<string, string>): CouchClient {
  const remote = values.get('remote');
  if (!remote) throw new UsageError('--remote URL is required: the database URL, e.g. http://127.0.0.1:5984/fieldscope.');
  let url: URL;
  try {
    url = new URL(remote);
  } catch {
    throw new UsageError(`--remote must be a database URL such as http://127.0.0.1:5984/fieldscope, not "${maskCredentials(remote)}".`);
  }
  const name = values.get('user') ?? (url.username ? decodeURIComponent(url.username) : undefined);
  const passwordFile = values.get('password-file');
  const password = passwordFile ? readPassword(passwordFile) : (process.env['FIELDSCOPE_PASSWORD'] ?? (url.password ? decodeURIComponent(url.password) : undefined));
  url.username = '';
  url.password = '';
  if (name !== undefined && password === undefined) throw new UsageError(`No password for ${name}: give --password-file FILE or set FIELDSCOPE_PASSWORD.`);
  return new CouchClient({ url: url.href, ...(name !== undefined && password !== undefined ? { auth: { name, password } } : {}) });
}

function readPassword(file: string): string {
  const text = readFileSync(file, 'utf8').trim();
  if (text.startsWith('{')) {
    const parsed = JSON.parse(text) as { password?: unknown };
    if (typeof parsed.password === 'string') return parsed.password;
    throw new UsageError(`${file} is JSON without a "password" field.`);
  }
  return text;
}

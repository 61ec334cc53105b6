import { describe, expect, it } from 'vitest';
import { maskCredentials } from '../remote/mask-credentials';
import { CouchClient } from '../remote/couch-client';
import { RemoteError } from '../remote/remote-error';
import { isUnencryptedRemote, splitCredentials } from './remote-address';
import { verifyRemote } from './verify-remote';
import { toErrorReport } from '../../gadgets/shared/error-report';

describe('maskCredentials', () => {
  it('masks the password of every URL in a text and leaves the rest', () => {
    expect(maskCredentials('https://ana:s3cret@couch.example.org/db/fieldscope')).toBe('https://ana:***@couch.example.org/db/fieldscope');
    expect(maskCredentials('at http://TOKEN@host:5984/ and https://bo:p%40ss:w@x.org/')).toBe('at http://***@host:5984/ and https://bo:***@x.org/');
    expect(maskCredentials('/db/fieldscope and https://couch.example.org/db a@b.c')).toBe('/db/fieldscope and https://couch.example.org/db a@b.c');
  });
});

describe('credentials in an address are never echoed', () => {
  it('an unreachable server with credentials in its address', async () => {
    const client = new CouchClient({ url: 'http://ana:s3cret@127.0.0.1:9/fieldscope', timeoutMs: 2000 });
    const error = await client.info().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RemoteError);
    expect((error as Error).message).toContain('ana:***@127.0.0.1:9');
    expect((error as Error).message).not.toContain('s3cret');
  });

  it('an Error Report (it is synced to the server)', async () => {
    const thrown = await fetch('http://ana:s3cret@127.0.0.1:9/').catch((e: unknown) => e);
    const report = toErrorReport(thrown, 'window');
    expect(JSON.stringify(report)).toContain('ana:***@127.0.0.1:9');
    expect(JSON.stringify(report)).not.toContain('s3cret');
  });

  it('the checks before a remote is added', async () => {
    const error = await verifyRemote('http://ana:s3cret@127.0.0.1:9/fieldscope').catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/cannot be reached/);
    expect((error as Error).message).not.toContain('s3cret');
  });
});

describe('splitCredentials', () => {
  it('takes the name and password out of a typed address', () => {
    expect(splitCredentials('https://ana:s%40cret@couch.example.org/db/')).toEqual({ address: 'https://couch.example.org/db/', user: 'ana', password: 's@cret' });
    expect(splitCredentials('https://couch.example.org/db/')).toEqual({ address: 'https://couch.example.org/db/' });
    expect(splitCredentials('/db/')).toEqual({ address: '/db/' });
  });
});

describe('isUnencryptedRemote', () => {
  const app = 'http://127.0.0.1:4173/';
  it('is true for plain http to another machine', () => {
    expect(isUnencryptedRemote('http://couch.example.org:5984/', app)).toBe(true);
    expect(isUnencryptedRemote('http://192.168.1.20:5984/', app)).toBe(true);
    expect(isUnencryptedRemote('/db/', 'http://tablet-hub.lan:4173/')).toBe(true);
  });
  it('is false for https and for this machine', () => {
    expect(isUnencryptedRemote('https://couch.example.org/', app)).toBe(false);
    expect(isUnencryptedRemote('/db/', app)).toBe(false);
    for (const local of ['http://localhost:5984/', 'http://127.0.0.2:5984/', 'http://[::1]:5984/']) expect(isUnencryptedRemote(local, app)).toBe(false);
    expect(isUnencryptedRemote('not a url', app)).toBe(false);
  });
});

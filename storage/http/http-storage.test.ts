import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startStaticServer } from '../../scripts/serve.mjs';
import { isStorageError } from '../storage-error';
import { HttpStorage } from './http-storage';

const bytes = Uint8Array.from({ length: 3000 }, (_, index) => (index * 7) & 0xff);
let server: Awaited<ReturnType<typeof startStaticServer>>;
let storage: HttpStorage;

beforeAll(async () => {
  const root = mkdtempSync(join(tmpdir(), 'fieldscope-http-'));
  writeFileSync(join(root, 'signal.bin'), bytes);
  server = await startStaticServer({ root });
  storage = new HttpStorage(server.url);
});
afterAll(() => server.stop());

describe('http storage against a static server honouring Range', () => {
  it('describes a file from a HEAD request', async () => {
    expect(await storage.get('signal.bin')).toMatchObject({ size: 3000, content_type: 'application/octet-stream' });
    expect(await storage.allAttachments('signal.bin')).toEqual({ data: { length: 3000, contentType: 'application/octet-stream' } });
  });

  it('reads exactly the asked ranges, including edges and past the end', async () => {
    const cases: [number | undefined, number | undefined][] = [
      [undefined, undefined],
      [0, 1],
      [1000, 2000],
      [2999, 3000],
      [2990, 5000],
      [4000, 5000],
      [10, 10],
    ];
    for (const [start, end] of cases) {
      const read = new Uint8Array(
        await storage.getAttachment('signal.bin', 'data', { format: 'arraybuffer', ...(start === undefined ? {} : { start }), ...(end === undefined ? {} : { end }) }),
      );
      expect([...read], `[${start}, ${end})`).toEqual([...bytes.subarray(Math.min(start ?? 0, 3000), Math.min(end ?? 3000, 3000))]);
    }
  });

  it('says 404 for missing files, 400 for bad ranges and 501 for writes', async () => {
    const failure = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error);
    expect(isStorageError(await failure(storage.get('missing.bin')), 404)).toBe(true);
    expect(isStorageError(await failure(storage.getAttachment('signal.bin', 'data', { start: 5, end: 2 })), 400)).toBe(true);
    expect(isStorageError(await failure(storage.getAttachment('signal.bin', 'other')), 404)).toBe(true);
    expect(isStorageError(await failure(storage.put()), 501)).toBe(true);
    expect(storage.hasCapacity('write')).toBe(false);
  });

  it('a server that cannot be reached is a clear 503', async () => {
    const offline = new HttpStorage('http://127.0.0.1:9/');
    const error = await offline.get('x').catch((failure: unknown) => failure);
    expect(isStorageError(error, 503)).toBe(true);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPouchServer } from '../../scripts/pouchdb-server.mjs';
import { PIECE_SIZE } from './pieces';
import { CouchClient } from './couch-client';
import { RemoteReadStorage } from './remote-read-storage';

let server: { url: string; stop(): Promise<void> };
beforeAll(async () => {
  server = await startPouchServer({ inMemory: true, adminParty: true });
}, 30_000);
afterAll(async () => server?.stop());

/** Byte-wise equality in one call: toEqual walks megabytes element by element (tens of seconds on a busy machine). */
const expectBytes = (actual: ArrayBuffer, expected: Uint8Array) => expect(Buffer.from(actual).equals(expected), 'same bytes').toBe(true);
const bytes = (size: number) => Uint8Array.from({ length: size }, (_, index) => (index * 7 + (index >> 12)) & 0xff);

describe('a read-only view of a CouchDB database, pieces seen whole', () => {
  it('reads ranges across pieces, whole attachments of other clients, and says 404 / 501 where it should', async () => {
    const client = new CouchClient({ url: `${server.url}remote-read` });
    await client.create();
    const data = bytes(2 * PIECE_SIZE + 1000);
    let { rev } = await client.put({ _id: 'array', title: 'pieces' });
    for (let piece = 0; piece < 3; piece += 1) {
      rev = (await client.putAttachment('array', `data#${piece}`, rev, data.slice(piece * PIECE_SIZE, (piece + 1) * PIECE_SIZE))).rev;
    }
    rev = (await client.putAttachment('array', 'photo.png', rev, bytes(300), 'image/png')).rev;
    const remote = new RemoteReadStorage(client);

    expect(await remote.get('array')).toEqual({ title: 'pieces' });
    const infos = await remote.allAttachments('array');
    expect(infos['data']?.length).toBe(data.length);
    expect(infos['photo.png']).toMatchObject({ length: 300, contentType: 'image/png' });
    expectBytes(await remote.getAttachment('array', 'data', { start: PIECE_SIZE - 10, end: 2 * PIECE_SIZE + 5, format: 'arraybuffer' }), data.slice(PIECE_SIZE - 10, 2 * PIECE_SIZE + 5));
    expectBytes(await remote.getAttachment('array', 'data', { format: 'arraybuffer' }), data);
    expectBytes(await remote.getAttachment('array', 'photo.png', { start: 100, end: 110, format: 'arraybuffer' }), bytes(300).slice(100, 110));

    await expect(remote.getAttachment('array', 'missing')).rejects.toMatchObject({ status: 404 });
    await expect(remote.get('nothing-here')).rejects.toMatchObject({ status: 404 });
    await expect(remote.remove()).rejects.toMatchObject({ status: 501 });
    await client.remove('array', rev);
    await expect(remote.getAttachment('array', 'data')).rejects.toMatchObject({ status: 404 });
  }, 30_000);
});

import { test, expect, chromium, type Page } from '@playwright/test';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromiumLaunchOptions } from '../scripts/find-browser.mjs';
import { bigWav } from './support/big-wav';

// Array bytes live in the Origin Private File System, their records in IndexedDB. The renderer is killed mid-import
// (Page.crash: no unload, no cleanup); on reopening, the array is whole or cleanly gone, and no file holds a byte
// that no record accounts for.


interface BytesState {
  files: { name: string; size: number | null }[];
  records: { file: string | null; length: number }[];
}

/** The app database's OPFS files with their sizes, and its attachment records, read with the platform's own APIs. */
function bytesState(page: Page): Promise<BytesState> {
  return page.evaluate(async () => {
    const root = await navigator.storage.getDirectory();
    const files: { name: string; size: number | null }[] = [];
    try {
      const dir = await (await root.getDirectoryHandle('fieldscope-bytes')).getDirectoryHandle('fieldscope');
      for await (const entry of (dir as unknown as { values(): AsyncIterable<FileSystemFileHandle> }).values()) {
        let size: number | null = null;
        try {
          size = (await entry.getFile()).size;
        } catch {
          size = null; // held open by a writer
        }
        files.push({ name: entry.name, size });
      }
    } catch {
      // no folder yet: no files
    }
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open('fieldscope');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    const records = await new Promise<{ file?: string; length: number }[]>((resolve, reject) => {
      const request = db.transaction('attachments').objectStore('attachments').getAll();
      request.onsuccess = () => resolve(request.result as { file?: string; length: number }[]);
      request.onerror = () => reject(request.error);
    });
    db.close();
    return { files, records: records.map((record) => ({ file: record.file ?? null, length: record.length })) };
  });
}

/** Files no record points at, or longer than their record: what a crash may leave and the start-up sweep removes. */
function orphans({ files, records }: BytesState): string[] {
  const lengths = new Map(records.filter((record) => record.file).map((record) => [record.file, record.length]));
  return files.filter((file) => !lengths.has(file.name) || file.size !== lengths.get(file.name)).map((file) => `${file.name} (${file.size} bytes, record ${lengths.get(file.name) ?? 'none'})`);
}

test('a page killed mid-import leaves, once reopened, its array whole or cleanly absent and no orphan bytes in OPFS', async ({ baseURL }, testInfo) => {
  test.setTimeout(180_000);
  const dir = await mkdtemp(join(tmpdir(), 'fieldscope-opfs-killed-'));
  const path = testInfo.outputPath('killed.wav');
  await writeFile(path, bigWav(24_000_000)); // 48 MB
  const context = await chromium.launchPersistentContext(join(dir, 'profile'), { ...chromiumLaunchOptions(), baseURL: baseURL! });
  try {
    const page = await context.newPage();
    await page.goto('./#/import');
    await page.locator('fs-import-page input[type=file]').setInputFiles(path);
    const progress = page.getByRole('progressbar', { name: 'Importing killed.wav' });
    await expect.poll(() => progress.evaluate((bar: HTMLProgressElement) => bar.value), { timeout: 60_000 }).toBeGreaterThan(0.2);
    // Bytes are going to OPFS files (the stream's and the array's), some already committed.
    expect((await bytesState(page)).files.length).toBeGreaterThan(0);
    const session = await context.newCDPSession(page);
    const crashed = page.waitForEvent('crash');
    void session.send('Page.crash').catch(() => {}); // the renderer dies with its workers: no answer comes back
    await crashed;
    await page.close().catch(() => {});
    // What the crash left, seen from a page of the origin that is not the app (nothing sweeps or cleans up there).
    const observer = await context.newPage();
    await observer.goto('./favicon.svg');
    testInfo.annotations.push({ type: 'left by the crash', description: orphans(await bytesState(observer)).join(', ') || 'no orphan bytes' });
    await observer.close();

    const reopened = await context.newPage();
    await reopened.goto('./#/arrays');
    const list = reopened.locator('fs-document-list-page');
    await expect(list).toBeVisible();
    // The cut-short import is cleaned up at start (its documents removed, their files with them)…
    await expect(list.getByRole('link', { name: /killed\.wav/ })).toHaveCount(0);
    // …and the sweep leaves exactly the bytes the records account for.
    await expect.poll(async () => orphans(await bytesState(reopened)), { timeout: 20_000 }).toEqual([]);
    const state = await bytesState(reopened);
    testInfo.annotations.push({ type: 'after reopening', description: JSON.stringify(state) });
    expect(state.records.every((record) => record.file !== null)).toBe(true); // all in OPFS, none in IndexedDB chunks
  } finally {
    await context.close();
    await rm(dir, { recursive: true, force: true });
  }
});

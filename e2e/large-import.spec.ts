import { test, expect, chromium, type BrowserContext } from '@playwright/test';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromiumLaunchOptions } from '../scripts/find-browser.mjs';

// A long recording imported on a profile on disk, as on a tablet: several hundred MB must be written whole, and the
// import must not lean on the browser's blob registry (capped; a Blob that finds it full breaks the IndexedDB write
// with "Failed to write blobs (InvalidBlob)"). What the registry holds in memory is read from chrome://blob-internals
// while the import runs. About 40 s here; tagged @large so a quick run can leave it out (--grep-invert @large).

const SAMPLES = 80_000_000; // 320 MB of float32
/** Bytes of Blob data held in memory at any moment of the import: a few appends' worth, never the garbage of all. */
const REGISTRY_BOUND = 48 * 1024 * 1024;

/** A raw little-endian float32 file: sample i is (i mod 1000) − 500, so any range can be checked. */
async function writeRawFile(path: string): Promise<void> {
  const file = await open(path, 'w');
  const piece = 1 << 22;
  try {
    for (let first = 0; first < SAMPLES; first += piece) {
      const values = new Float32Array(Math.min(piece, SAMPLES - first));
      for (let index = 0; index < values.length; index += 1) values[index] = ((first + index) % 1000) - 500;
      await file.write(new Uint8Array(values.buffer));
    }
  } finally {
    await file.close();
  }
}

/** Bytes held in memory by the blob registry now (items of type "data"; files and IndexedDB-backed items hold none). */
async function registryBytes(context: BrowserContext): Promise<number> {
  const page = await context.newPage();
  try {
    await page.goto('chrome://blob-internals');
    const text = await page.evaluate(() => document.body.innerText);
    let bytes = 0;
    for (const match of text.matchAll(/Type: data\nLength: ([\d,]+)/g)) bytes += Number(match[1]!.replaceAll(',', ''));
    return bytes;
  } finally {
    await page.close();
  }
}

test('a 320 MB raw recording imports whole on a profile on disk, without filling the blob registry @large', async ({ baseURL }) => {
  test.setTimeout(300_000);
  const dir = await mkdtemp(join(tmpdir(), 'fieldscope-large-import-'));
  const rawPath = join(dir, 'long-recording.f32');
  await writeRawFile(rawPath);
  const context = await chromium.launchPersistentContext(join(dir, 'profile'), { ...chromiumLaunchOptions(), baseURL: baseURL! });
  try {
    const page = await context.newPage();
    await page.goto('./#/import');
    await page.locator('fs-import-page input[type=file]').setInputFiles(rawPath);
    const form = page.getByRole('form', { name: 'Raw samples: declare their format' });
    await form.getByLabel('Sample type').selectOption('float32');
    await form.getByLabel('Sample rate (Hz)').fill('48000');
    await form.getByLabel('Channels').fill('1');
    await form.getByRole('button', { name: /^Import/ }).click();

    const imports = page.getByRole('list', { name: 'Imports' });
    const graph = imports.getByRole('link', { name: 'its graph' });
    let peak = 0;
    // Bounded: 240 looks a second apart, well past the import's time here.
    for (let look = 0; look < 240 && !(await graph.isVisible()); look += 1) {
      await expect(imports.getByRole('alert')).toHaveCount(0, { timeout: 1 }); // a failed import says so at once
      peak = Math.max(peak, await registryBytes(context));
      await page.waitForTimeout(1000);
    }
    await expect(graph).toBeVisible();
    test.info().annotations.push({ type: 'blob registry peak (MiB)', description: (peak / 2 ** 20).toFixed(1) });
    expect(peak, `blob registry peak ${(peak / 2 ** 20).toFixed(0)} MiB`).toBeLessThan(REGISTRY_BOUND);

    await graph.click();
    await expect(page.getByRole('row', { name: 'Samples' })).toContainText(SAMPLES.toLocaleString('en'));
    // The last samples read back as written: the readout of the array's end.
    await page.goto(`${page.url().split('?')[0]}?start=${SAMPLES - 1000}&end=${SAMPLES}`);
    // The chain is processing the new 320 MB array meanwhile (its spectrum): on a busy machine the read waits its turn.
    await expect(page.locator('fs-array-page .readout')).toContainText('min -500 max 499', { timeout: 45_000 });
  } finally {
    await context.close();
    await rm(dir, { recursive: true, force: true });
  }
});

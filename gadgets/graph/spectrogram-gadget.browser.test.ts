import { afterEach, describe, expect, it } from 'vitest';
import { until } from '../core/test-helpers';
import { StorageRoot, storageRootTag } from './testing/storage-root';
import { createLocalStorage, type Storage } from '../../storage';
import { appendSamples, createDataArray } from '../../storage/arrays';
import type { Spectrogram } from '../../compute/spectrum/stft';
import './spectrogram-gadget';
import type { SpectrogramGadget } from './spectrogram-gadget';

const RATE = 8000;

let databases = 0;
const freshStorage = () => createLocalStorage(`spectrogram-test-${Date.now()}-${++databases}`);

async function toneArray(storage: Storage, title: string, frequency: number, seconds = 2): Promise<string> {
  const id = await createDataArray(storage, { title, dtype: 'float32', sampling_rate: RATE });
  await appendSamples(storage, id, Float32Array.from({ length: seconds * RATE }, (_, i) => Math.sin((2 * Math.PI * frequency * i) / RATE)));
  return id;
}

const mounted: Element[] = [];
afterEach(() => {
  for (const element of mounted.splice(0)) element.remove();
});

/** A spectrogram inside a storage root, 640 px wide; resolves with it and the details of every drawing. */
function mount(storage: Storage): { gadget: SpectrogramGadget; drawn: Spectrogram[] } {
  const root = document.createElement(storageRootTag) as StorageRoot;
  root.storage = storage;
  const gadget = document.createElement('fs-spectrogram') as SpectrogramGadget;
  gadget.style.width = '640px';
  const drawn: Spectrogram[] = [];
  gadget.addEventListener('spectrogram-drawn', (event) => drawn.push((event as CustomEvent<Spectrogram>).detail));
  root.append(gadget);
  document.body.append(root);
  mounted.push(root);
  return { gadget, drawn };
}

function luminance(pixels: Uint8ClampedArray, index: number): number {
  return 0.2126 * pixels[index]! + 0.7152 * pixels[index + 1]! + 0.0722 * pixels[index + 2]!;
}

/** The row (from the top of the image) of the brightest pixel of the image's middle column. */
function brightestRow(gadget: SpectrogramGadget): { row: number; rows: number[] } {
  const canvas = gadget.shadowRoot!.querySelector('canvas')!;
  const box = gadget.plotBox!;
  const pixels = canvas.getContext('2d')!.getImageData(box.x + Math.floor(box.width / 2), box.y, 1, box.height).data;
  const rows = Array.from({ length: box.height }, (_, y) => luminance(pixels, y * 4));
  return { row: rows.indexOf(Math.max(...rows)), rows };
}

/** Where frequency f is drawn (rows from the top of the image): bin k fills [k, k + 1) of the height. */
function rowOf(gadget: SpectrogramGadget, frequency: number): number {
  const { bins, frequencyStep } = gadget.spectrogram!;
  const height = gadget.plotBox!.height;
  return height - ((frequency / frequencyStep + 0.5) / bins) * height;
}

describe('<fs-spectrogram>', () => {
  it('draws a tone as a bright row at its frequency, describes itself, and gives a PNG', async () => {
    const storage = freshStorage();
    const id = await toneArray(storage, 'tone', 1000);
    const { gadget, drawn } = mount(storage);
    gadget.arrayId = id;
    await until(() => gadget.shadowRoot?.querySelector('.status')?.textContent === 'Computing the spectrogram…' || drawn.length > 0, 10_000);
    await until(() => drawn.length > 0, 20_000);

    const spectrogram = gadget.spectrogram!;
    expect(spectrogram).toMatchObject({ bins: 513, frequencyStep: RATE / 1024, timeUnit: 's' });
    expect(spectrogram.columns).toBeLessThanOrEqual(1024);
    const { row, rows } = brightestRow(gadget);
    const expected = rowOf(gadget, 1000);
    const rowsPerBin = gadget.plotBox!.height / spectrogram.bins;
    expect(Math.abs(row - expected)).toBeLessThanOrEqual(Math.max(2, 1.5 * rowsPerBin));
    // Away from the tone, the picture is dark: 3000 Hz is at the bottom of the colour scale.
    expect(rows[Math.round(rowOf(gadget, 3000))]!).toBeLessThan(rows[row]! / 3);

    const frame = gadget.shadowRoot!.querySelector<HTMLElement>('.frame')!;
    expect(frame.tabIndex).toBe(0);
    expect(frame.getAttribute('role')).toBe('img');
    expect(frame.getAttribute('aria-label')).toMatch(/^Spectrogram of tone, 0–4000 Hz over 2 s; colours from −\d+ dB \(dark\) to −?\d+ dB \(bright\)$/);
    expect(gadget.shadowRoot!.querySelector('.status')!.textContent).toBe('');
    expect(gadget.shadowRoot!.querySelector('progress')).toBeNull();

    const png = await gadget.toBlob();
    expect(png.type).toBe('image/png');
    expect([...new Uint8Array(await png.arrayBuffer()).subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  });

  it('shows only the latest array when the array changes during a computation', async () => {
    const storage = freshStorage();
    const first = await toneArray(storage, 'low', 500, 30);
    const second = await toneArray(storage, 'high', 3000);
    const { gadget, drawn } = mount(storage);
    gadget.arrayId = first;
    await until(() => gadget.shadowRoot?.querySelector('progress') !== null, 10_000);
    gadget.arrayId = second;
    await until(() => drawn.length > 0, 20_000);
    await new Promise((resolve) => setTimeout(resolve, 100));
    // Every drawing is of the second array: the first computation was cancelled, never drawn.
    for (const detail of drawn) expect(detail.end).toBe(2 * RATE);
    const { row } = brightestRow(gadget);
    expect(Math.abs(row - rowOf(gadget, 3000))).toBeLessThanOrEqual(2);
    expect(gadget.shadowRoot!.querySelector('.frame')!.getAttribute('aria-label')).toContain('Spectrogram of high');
  });

  it('redraws at its new size when its box resizes', async () => {
    const storage = freshStorage();
    const id = await toneArray(storage, 'tone', 2000);
    const { gadget, drawn } = mount(storage);
    gadget.arrayId = id;
    await until(() => drawn.length > 0, 20_000);
    const canvas = gadget.shadowRoot!.querySelector('canvas')!;
    const before = drawn.length;
    gadget.style.width = '400px';
    gadget.style.setProperty('--spectrogram-height', '200px');
    await until(() => drawn.length > before, 5000);
    expect(canvas.width).toBe(Math.round(400 * (window.devicePixelRatio || 1)));
    expect(canvas.height).toBe(Math.round(200 * (window.devicePixelRatio || 1)));
    const { row } = brightestRow(gadget);
    expect(Math.abs(row - rowOf(gadget, 2000))).toBeLessThanOrEqual(2);
  });

  it('computes again when attached again after a detach cut the computation short', async () => {
    const storage = freshStorage();
    // Long enough that its computation is still under way when it is detached (2 s of samples are done at once).
    const id = await toneArray(storage, 'tone', 1500, 240);
    const { gadget, drawn } = mount(storage);
    gadget.arrayId = id;
    await until(() => gadget.shadowRoot?.querySelector('progress') !== null, 10_000);
    const root = gadget.parentElement!;
    root.remove(); // aborts the computation in progress
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(drawn).toHaveLength(0);
    document.body.append(root);
    await until(() => drawn.length > 0, 20_000);
    expect(Math.abs(brightestRow(gadget).row - rowOf(gadget, 1500))).toBeLessThanOrEqual(2);
  });

  it('explains what went wrong', async () => {
    const storage = freshStorage();
    const single = await createDataArray(storage, { title: 'one', dtype: 'float32', sampling_rate: RATE });
    await appendSamples(storage, single, Float32Array.of(1));
    const { gadget } = mount(storage);
    gadget.arrayId = 'no-such-array';
    const alert = () => gadget.shadowRoot?.querySelector('[role="alert"]')?.textContent ?? '';
    await until(() => alert().startsWith('The spectrogram cannot be computed:'), 10_000);
    gadget.arrayId = single;
    await until(() => alert().includes('a spectrogram needs at least 2'), 10_000);
    await expect(gadget.toBlob()).rejects.toThrow('not drawn yet');
  });
});

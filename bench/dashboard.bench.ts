// Browser side of the dashboard part of `npm run bench:stats`: the time from mounting the dashboard to its first paint
// with every card in view drawn (sparkline read from the pyramid, latest value, place of the data), with 1,000 sources
// in IndexedDB, against the same with 10 sources in the same run.
import { html } from 'lit';
import { Gadget, nextFrame } from '../gadgets/core';
import { storageKey, syncKey } from '../gadgets/shared/keys';
import { createLocalStorage, type Storage } from '../storage';
import { appendSamples, createDataArray } from '../storage/arrays';
import { SyncManager } from '../storage/sync';
import { demoSamples } from '../compute/signals/demo-signal';
import '../gadgets/pages/dashboard/dashboard';

/** Stands in for the app shell: the storage and a sync manager with no remote (all data on this device). */
class BenchRoot extends Gadget {
  storage!: Storage;
  sync!: SyncManager;
  constructor() {
    super();
    this.provide(storageKey, () => this.storage);
    this.provide(syncKey, () => this.sync);
  }
  override render() {
    return html`<slot></slot>`;
  }
}
customElements.define('bench-dashboard-root', BenchRoot);

/** `count` arrays of `samples` float32 samples at 1 kHz (so each has a pyramid), in a fresh database. */
async function makeSources(count: number, samples: number): Promise<Storage> {
  const storage = createLocalStorage(`bench-dashboard-${count}-${Date.now()}`);
  for (let index = 0; index < count; index += 1) {
    const id = await createDataArray(storage, { title: `Sensor ${String(index).padStart(4, '0')}`, dtype: 'float32', sampling_rate: 1000, start_time: '2024-06-01T00:00:00Z' });
    await appendSamples(storage, id, demoSamples(index * samples, samples, 1));
  }
  return storage;
}

/** Milliseconds from mounting the dashboard to the first frame where every card in view shows its sparkline and place. */
async function firstPaint(storage: Storage, expected: number): Promise<{ ms: number; cards: number }> {
  const root = document.createElement('bench-dashboard-root') as BenchRoot;
  root.storage = storage;
  root.sync = new SyncManager(storage, { stateName: `bench-dashboard-${Date.now()}` });
  const dashboard = document.createElement('fs-dashboard');
  root.append(dashboard);
  const start = performance.now();
  document.getElementById('bench-root')!.append(root);
  const drawn = () => {
    const status = dashboard.shadowRoot?.querySelector('.count')?.textContent ?? '';
    if (!status.includes(`${expected.toLocaleString('en')} source`)) return 0;
    const cards = [...(dashboard.shadowRoot?.querySelectorAll('fs-source-card') ?? [])];
    const done = cards.every((card) => card.shadowRoot?.querySelector('svg path') && !card.shadowRoot.querySelector('.where')?.textContent?.includes('…'));
    return cards.length > 0 && done ? cards.length : 0;
  };
  const signal = AbortSignal.timeout(120_000);
  let cards = 0;
  while ((cards = drawn()) === 0) await nextFrame(signal);
  await nextFrame(signal); // the frame that shows it
  const ms = performance.now() - start;
  root.remove();
  return { ms, cards };
}

export async function run({ sources, samples }: { sources: number; samples: number }) {
  const small = await makeSources(10, samples);
  const large = await makeSources(sources, samples);
  await firstPaint(small, 10); // warm-up: the first mount also pays for compiling the modules and opening IndexedDB
  const anchor = await firstPaint(small, 10);
  const measured = await firstPaint(large, sources);
  return { anchor_ms: anchor.ms, ms: measured.ms, cards: measured.cards, ratio: measured.ms / anchor.ms };
}

// Browser side of `npm run bench:graph`: the graph gadget over IndexedDB arrays of growing size, against dygraphs and
// uPlot given every point in memory, in one run.
import Dygraph from 'dygraphs';
import uPlot from 'uplot';
import { Gadget } from '../gadgets/core';
import { storageKey } from '../gadgets/shared/keys';
import type { GraphGadget } from '../gadgets/graph/graph-gadget';
import '../gadgets/graph/graph-gadget'; // defines <fs-graph>
import { createLocalStorage, type Storage } from '../storage';
import { appendSamples, createDataArray } from '../storage/arrays';
import { demoSamples } from '../compute/signals/demo-signal';

interface Options {
  sizes: number[];
  peerSizes: number[];
  steps: number;
}

/** Gives the graph its storage, as the app shell does. */
class BenchRoot extends Gadget {
  storage: Storage | undefined;
  constructor() {
    super();
    this.provide(storageKey, () => this.storage as Storage);
  }
  override createRenderRoot() {
    return this;
  }
}
customElements.define('bench-root', BenchRoot);

const container = () => document.getElementById('bench-root') as HTMLElement;
const heapMb = () => ((performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? NaN) / 1048576;
const gc = () => (globalThis as unknown as { gc?: () => void }).gc?.();
const frame = () => new Promise((resolve) => requestAnimationFrame(() => resolve(undefined)));
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

export async function run({ sizes, peerSizes, steps }: Options) {
  const results: Record<string, number> = {};
  const storage = createLocalStorage(`bench-graph-${Date.now()}`);
  for (const size of sizes) {
    const id = await createDataArray(storage, { title: `bench ${size}`, dtype: 'float32', sampling_rate: 48000 });
    const batch = 1 << 21;
    for (let start = 0; start < size; start += batch) await appendSamples(storage, id, demoSamples(start, Math.min(batch, size - start), 1));
    console.log(`stored ${size} samples`);
    gc();
    const root = document.createElement('bench-root') as BenchRoot;
    root.storage = storage;
    container().append(root);
    const graph = document.createElement('fs-graph') as GraphGadget;
    const viewChange = () => new Promise((resolve) => graph.addEventListener('view-change', resolve, { once: true }));
    const began = performance.now();
    const first = viewChange();
    graph.arrayId = id;
    root.append(graph);
    await first;
    await frame();
    results[`first_ms_${size}`] = performance.now() - began;
    // Zoom into the middle tenth, then pan and zoom step by step, each step including its storage reads.
    let next = viewChange();
    graph.setRange({ start: Math.floor(size * 0.45), end: Math.floor(size * 0.55) });
    await next;
    const pans: number[] = [];
    const zooms: number[] = [];
    for (let step = 0; step < steps; step += 1) {
      let t = performance.now();
      next = viewChange();
      graph.pan(step % 2 === 0 ? 0.1 : -0.1);
      await next;
      await frame();
      pans.push(performance.now() - t);
      t = performance.now();
      next = viewChange();
      graph.zoom(step % 2 === 0 ? 1.25 : 0.8);
      await next;
      await frame();
      zooms.push(performance.now() - t);
    }
    results[`pan_ms_${size}`] = median(pans);
    results[`zoom_ms_${size}`] = median(zooms);
    gc();
    await frame();
    results[`heap_mb_${size}`] = heapMb();
    root.remove();
  }

  for (const size of peerSizes) {
    const values = demoSamples(0, size, 1);
    // dygraphs with every point.
    gc();
    let t = performance.now();
    const rows: number[][] = new Array(size);
    for (let index = 0; index < size; index += 1) rows[index] = [index / 48000, values[index] as number];
    const dygraph = new Dygraph(container(), rows, { animatedZooms: false, dateWindow: [0.45 * size / 48000, 0.55 * size / 48000] });
    await frame();
    results[`dygraphs_first_ms_${size}`] = performance.now() - t;
    results[`dygraphs_heap_mb_${size}`] = heapMb();
    const dygraphPans: number[] = [];
    for (let step = 0; step < steps; step += 1) {
      const [x0, x1] = dygraph.xAxisRange();
      const shift = (x1 - x0) * (step % 2 === 0 ? 0.1 : -0.1);
      t = performance.now();
      dygraph.updateOptions({ dateWindow: [x0 + shift, x1 + shift] });
      await frame();
      dygraphPans.push(performance.now() - t);
    }
    results[`dygraphs_pan_ms_${size}`] = median(dygraphPans);
    dygraph.destroy();
    rows.length = 0;
    gc();

    // uPlot with every point.
    const xs = new Float64Array(size);
    for (let index = 0; index < size; index += 1) xs[index] = index / 48000;
    t = performance.now();
    const plot = new uPlot(
      { width: 1000, height: 400, series: [{}, { stroke: '#0f5c6e' }], scales: { x: { time: false } } },
      [xs as unknown as number[], values as unknown as number[]],
      container(),
    );
    plot.setScale('x', { min: 0.45 * size / 48000, max: 0.55 * size / 48000 });
    await frame();
    results[`uplot_first_ms_${size}`] = performance.now() - t;
    const uplotPans: number[] = [];
    for (let step = 0; step < steps; step += 1) {
      const min = plot.scales.x!.min!;
      const max = plot.scales.x!.max!;
      const shift = (max - min) * (step % 2 === 0 ? 0.1 : -0.1);
      t = performance.now();
      plot.setScale('x', { min: min + shift, max: max + shift });
      await frame();
      uplotPans.push(performance.now() - t);
    }
    results[`uplot_pan_ms_${size}`] = median(uplotPans);
    plot.destroy();
    gc();
  }
  return results;
}

import { afterEach, describe, expect, it } from 'vitest';
import { until } from '../core/test-helpers';
import { StorageRoot, storageRootTag } from './testing/storage-root';
import { createLocalStorage } from '../../storage';
import { appendSamples, createDataArray } from '../../storage/arrays';
import './graph-gadget';
import type { GraphGadget } from './graph-gadget';

// Markup a hostile document might carry: were any of it parsed, an element would appear (and its handler would run).
const TITLE = '<img src=x onerror="window.__pwned=1">pump';
const X_UNIT = '<b>Time</b> <img src=x onerror="window.__pwned=2">';
const Y_UNIT = '<script>window.__pwned=3</script><svg onload="window.__pwned=4">m/s²';

const mounted: Element[] = [];
afterEach(() => {
  for (const element of mounted.splice(0)) element.remove();
});

describe('graph gadget and document text', () => {
  it('shows title and units with markup as text: the labels and legend hold no element made from them', async () => {
    const storage = createLocalStorage(`graph-text-test-${Date.now()}`);
    const id = await createDataArray(storage, { title: TITLE, dtype: 'float32', sampling_rate: 100, units: { x: X_UNIT, y: Y_UNIT } });
    await appendSamples(storage, id, Float32Array.from({ length: 1000 }, (_, i) => Math.sin(i / 10)));
    const root = document.createElement(storageRootTag) as StorageRoot;
    root.storage = storage;
    const graph = document.createElement('fs-graph') as GraphGadget;
    graph.style.width = '640px';
    graph.arrayId = id;
    root.append(graph);
    document.body.append(root);
    mounted.push(root);
    await until(() => graph.drawn !== undefined, 10_000);

    const plot = graph.shadowRoot!.querySelector('.plot')!;
    const xlabel = plot.querySelector('.dygraph-xlabel')!;
    const ylabel = plot.querySelector('.dygraph-ylabel')!;
    expect(xlabel.textContent).toBe(X_UNIT);
    expect(xlabel.childElementCount).toBe(0);
    expect(ylabel.textContent).toBe(Y_UNIT);
    expect(ylabel.childElementCount).toBe(0);
    expect(plot.querySelector('.dygraph-legend')!.textContent).toContain(TITLE);
    // dygraphs' own range-selector handles are the only images; nothing carries a handler or is a script.
    expect(plot.querySelectorAll('script, svg, b, [onerror], [onload]')).toHaveLength(0);
    expect((window as { __pwned?: number }).__pwned).toBeUndefined();
  });
});

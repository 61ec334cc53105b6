import { describe, expect, it } from 'vitest';
import type { Doc } from '../../../storage';
import { sourceQuery, summarizeSource } from './source-types';
import { orderSources } from './source-order';

const array = (title: string, samples: number, modified: string, extra: Doc = {}): Doc => ({
  portal_type: 'Data Array',
  title,
  reference: `${title}.ref`,
  modification_date: modified,
  dtype: 'float32',
  shape: [samples],
  pyramid: { base: 512, dtype: 'float32' },
  ...extra,
});

describe('dashboard sources', () => {
  it('selects every source type in one query', () => {
    expect(sourceQuery()).toBe('portal_type:="Data Stream" OR portal_type:="Data Array"');
  });

  it('summarises an array: its size, link, last step and a version that follows its length', () => {
    const doc = array('Pump', 1000, '2024-01-01T00:00:00Z', { process: [{ name: 'spectrum', status: 'failed', started: '2024', error: 'x' }] });
    const summary = summarizeSource('a1', doc, () => undefined)!;
    expect(summary).toMatchObject({ type: 'array', href: '#/array/a1', bytes: 4000, state: 'spectrum failed', failed: true, samples: { id: 'a1' } });
    expect(summarizeSource('a1', { ...doc, shape: [1001] }, () => undefined)!.version).not.toBe(summary.version);
  });

  it('draws a recording stream from its array, sized by it until the stream knows its size', () => {
    const stream: Doc = { portal_type: 'Data Stream', title: 'Rec', reference: 'r', modification_date: '2024', status: 'recording', recording_array: 'a2' };
    const docs: Record<string, Doc> = { a2: array('Rec', 48_000, '2024') };
    const summary = summarizeSource('s1', stream, (id) => docs[id])!;
    expect(summary).toMatchObject({ type: 'stream', href: '#/stream/s1', bytes: 192_000, state: 'Recording', samples: { id: 'a2' } });
    expect(summarizeSource('s1', { ...stream, size: 7, status: 'complete' }, (id) => docs[id])).toMatchObject({ bytes: 7, state: 'Not processed' });
    // An imported stream is drawn from the array its import step made; one whose array is not loaded draws nothing.
    const imported: Doc = { ...stream, status: 'complete', recording_array: undefined, process: [{ name: 'import', status: 'done', started: '2024', result: { arrays: ['a2'] } }] };
    expect(summarizeSource('s1', imported, (id) => docs[id])?.samples?.id).toBe('a2');
    expect(summarizeSource('s1', imported, () => undefined)?.samples).toBeUndefined();
  });

  it('leaves out other documents and arrays it cannot read', () => {
    expect(summarizeSource('n', { portal_type: 'Notebook', title: 'n' }, () => undefined)).toBeUndefined();
    expect(summarizeSource('b', array('Bad', 10, '2024', { dtype: 'complex' }), () => undefined)?.samples).toBeUndefined();
  });

  it('filters by all words of the name or reference and by type; sorts by name, size or recent change', () => {
    const sources = [
      summarizeSource('a', array('Pump 10 north', 10, '2024-01-03'), () => undefined)!,
      summarizeSource('b', array('Pump 9 south', 30, '2024-01-01'), () => undefined)!,
      summarizeSource('c', { portal_type: 'Data Stream', title: 'Fan', reference: 'pump-fan', modification_date: '2024-01-02', size: 20 }, () => undefined)!,
    ];
    const ids = (text: string, type: string, sort: 'recent' | 'name' | 'size') => orderSources(sources, { text, type, sort }).map((source) => source.id);
    expect(ids('', '', 'recent')).toEqual(['a', 'c', 'b']);
    expect(ids('', '', 'name')).toEqual(['c', 'b', 'a']); // numbers in names sort as numbers: 9 before 10
    expect(ids('', '', 'size')).toEqual(['b', 'a', 'c']); // 120, 40 and 20 bytes
    expect(ids('PUMP', '', 'name')).toEqual(['c', 'b', 'a']); // the stream by its reference
    expect(ids('pump north', '', 'name')).toEqual(['a']);
    expect(ids('pump', 'stream', 'name')).toEqual(['c']);
  });
});

import { describe, expect, it } from 'vitest';
import type { Envelope, DataArrayDocument } from '../../../storage/arrays';
import { sparklineShape } from './sparkline';
import { sampleTime } from './sample-time';

function envelope(min: number[], max: number[]): Envelope {
  const n = min.length;
  const starts = Float64Array.from({ length: n }, (_, i) => i);
  return { raw: false, starts, ends: starts.map((s) => s + 1), channels: [{ min: Float64Array.from(min), max: Float64Array.from(max), first: Float64Array.from(min), last: Float64Array.from(max) }] };
}

describe('sparkline', () => {
  it('draws one bar per column from min to max, scaled to the finite range, skipping NaN and infinite columns', () => {
    const shape = sparklineShape(envelope([0, NaN, -Infinity, 5], [10, NaN, 3, 10]), 40, 10);
    expect(shape).toEqual({ path: 'M5 0V10M35 0V5', barWidth: 10, low: 0, high: 10 });
  });

  it('keeps a flat signal visible and says when nothing is finite', () => {
    expect(sparklineShape(envelope([2, 2], [2, 2]), 20, 10).path).toBe('M5 5V6M15 5V6');
    expect(sparklineShape(envelope([NaN], [NaN]), 20, 10).path).toBe('');
    expect(sparklineShape(envelope([], []), 20, 10).path).toBe('');
  });
});

describe('sample time', () => {
  const doc = (fields: Partial<DataArrayDocument>): DataArrayDocument =>
    ({ portal_type: 'Data Array', title: 't', reference: 'r', modification_date: '', dtype: 'float32', shape: [10], pyramid: { base: 512, dtype: 'float32' }, ...fields }) as DataArrayDocument;

  it('is a date from the start time and rate, x in its unit with a rate only, else the index', () => {
    expect(sampleTime(doc({ sampling_rate: 100, start_time: '2024-06-01T10:00:00Z' }), 150).iso).toBe('2024-06-01T10:00:01.500Z');
    expect(sampleTime(doc({ sampling_rate: 8000 }), 9_872).text).toBe('1.234 s');
    expect(sampleTime(doc({ sampling_rate: 0.5, units: { x: 'Hz' } }), 3).text).toBe('Hz 6');
    expect(sampleTime(doc({}), 12_345).text).toBe('sample 12,345');
  });
});

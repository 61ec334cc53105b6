import { describe, expect, it } from 'vitest';
import { checkSignal, editBinding, newSignal, type SignalBinding, type SignalDocument } from './signal-document';
import { mergeSignalVersions } from './merge-signal-versions';

const b1: SignalBinding = { id: 'b1', valid: { experiments: ['e1'] }, array: { id: 'a1' }, channel: 0, calibration: { kind: 'linear', gain: 1, offset: 0 }, units: { raw: 'V', calibrated: 'mA' }, since: '2024-01-01T00:00:00.000Z' };
const base = newSignal({ name: 'I', units: 'mA', bindings: [b1] });
const { id: _id, since: _since, ...rest } = b1;
const recalibrate = (signal: SignalDocument, gain: number, at: string) => editBinding(signal, { ...rest, calibration: { kind: 'linear', gain, offset: 0 } }, 'b1', at);

describe('merging a Signal edited on two devices', () => {
  it('a recalibration on one side and a new description on the other: both kept', () => {
    const local = recalibrate(base, 2, '2024-02-01T00:00:00.000Z');
    const remote = { ...base, description: 'Langmuir probe current' };
    const merged = checkSignal(mergeSignalVersions(base, local, remote)!, 's');
    expect(merged.description).toBe('Langmuir probe current');
    expect(merged.bindings.map((b) => [b.id, b.until, b.replaced_by])).toEqual([['b1', '2024-02-01T00:00:00.000Z', 'b2'], ['b2', undefined, undefined]]);
  });

  it('the same binding recalibrated on both sides: both new bindings stay (renamed apart), the old one ends at the earlier time', () => {
    const local = recalibrate(base, 2, '2024-02-02T00:00:00.000Z');
    const remote = recalibrate(base, 3, '2024-02-01T00:00:00.000Z');
    const merged = checkSignal(mergeSignalVersions(base, local, remote)!, 's');
    expect(merged.bindings.map((b) => [b.id, b.until ?? null, b.replaced_by ?? null, b.calibration.kind === 'linear' ? b.calibration.gain : null])).toEqual([
      ['b1', '2024-02-01T00:00:00.000Z', 'b3', 1],
      ['b2', null, null, 2],
      ['b3', null, null, 3],
    ]);
  });

  it('the name changed differently on both sides is a conflict; other types are left alone', () => {
    expect(mergeSignalVersions(base, { ...base, name: 'I1' }, { ...base, name: 'I2' })).toBeUndefined();
    expect(mergeSignalVersions({ portal_type: 'Notebook' }, { portal_type: 'Notebook' }, { portal_type: 'Notebook' })).toBeUndefined();
  });
});

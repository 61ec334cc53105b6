import { describe, expect, it } from 'vitest';
import { isStorageError } from '../../storage/storage-error';
import { checkExperiment, newExperiment } from './experiment-document';
import { checkSignal, editBinding, newSignal, type SignalBinding } from './signal-document';

const binding: SignalBinding = {
  id: 'b1',
  valid: { experiments: ['e1'] },
  array: { id: 'a1' },
  channel: 0,
  calibration: { kind: 'linear', gain: 2, offset: 1 },
  units: { raw: 'V', calibrated: 'mA' },
  since: '2024-06-01T00:00:00.000Z',
};

/** The 400's message, or a failure when the check passes. */
function refusal(check: () => unknown): string {
  try {
    check();
  } catch (error) {
    if (isStorageError(error, 400)) return error.message;
    throw error;
  }
  throw new Error('expected a 400');
}

describe('Experiment documents are checked on read', () => {
  it('keeps a good one, with its free-form conditions', () => {
    const doc = newExperiment({ name: 'Shot 12', shot: 12, start: '2024-06-01T10:00:00Z', end: '2024-06-01T10:10:00Z', conditions: { gas: 'He', pressure_pa: 3.5, coil: { turns: 40 } }, arrays: ['a1'] });
    const checked = checkExperiment(doc, 'e1');
    expect(checked.conditions).toEqual({ gas: 'He', pressure_pa: 3.5, coil: { turns: 40 } });
    expect(checked.arrays).toEqual(['a1']);
  });

  it('fills what a bare new document lacks', () => {
    const checked = checkExperiment({ portal_type: 'Experiment', title: 'Untitled experiment' }, 'e1');
    expect(checked).toMatchObject({ name: 'Untitled experiment', conditions: {}, arrays: [] });
  });

  it('names the field that is wrong', () => {
    const base = newExperiment({ name: 'x' });
    expect(refusal(() => checkExperiment({ ...base, start: '2024-06-01T10:00:00Z', end: '2024-06-01T09:00:00Z' }, 'e1'))).toContain('its time range [2024-06-01T10:00:00Z, 2024-06-01T09:00:00Z) is empty');
    expect(refusal(() => checkExperiment({ ...base, start: '2024-06-01T10:00:00Z' }, 'e1'))).toContain('has only a start');
    expect(refusal(() => checkExperiment({ ...base, start: 'yesterday', end: '2024-06-01' }, 'e1'))).toContain('its start is "yesterday", not an ISO time');
    expect(refusal(() => checkExperiment({ ...base, conditions: { pressure_pa: '3 Pa' } }, 'e1'))).toContain('its condition pressure_pa is "3 Pa", not a number');
    expect(refusal(() => checkExperiment({ ...base, arrays: [3] }, 'e1'))).toContain('its arrays are [3], not a list of array ids');
    expect(refusal(() => checkExperiment({ ...base, shot: -1 }, 'e1'))).toContain('its shot is -1');
    expect(refusal(() => checkExperiment({ ...base, portal_type: 'Signal' }, 'e1'))).toBe('“e1” is not an Experiment.');
  });
});

describe('Signal documents are checked on read', () => {
  it('keeps a good one', () => {
    const checked = checkSignal(newSignal({ name: 'Langmuir_I', units: 'mA', bindings: [binding] }), 's1');
    expect(checked.bindings).toEqual([binding]);
  });

  it('a bare new signal is named by its title', () => {
    expect(checkSignal({ portal_type: 'Signal', title: 'Untitled signal' }, 's1')).toMatchObject({ name: 'Untitled signal', units: '', bindings: [] });
  });

  it('names the binding and the field that is wrong', () => {
    const doc = (change: Record<string, unknown>) => ({ ...newSignal({ name: 'I' }), bindings: [binding, { ...binding, id: 'b2', ...change }] });
    expect(refusal(() => checkSignal(doc({ channel: 1.5 }), 's1'))).toContain('its binding 2 channel is 1.5');
    expect(refusal(() => checkSignal(doc({ calibration: { kind: 'linear', gain: 'x', offset: 0 } }), 's1'))).toContain('its binding 2 calibration needs a finite gain and offset');
    expect(refusal(() => checkSignal(doc({ calibration: { kind: 'table', points: [[0, 0], [2, 1], [1, 3]] } }), 's1'))).toContain('raw 1 follows 2');
    expect(refusal(() => checkSignal(doc({ calibration: { kind: 'spline' } }), 's1'))).toContain(`has kind "spline", not 'linear', 'polynomial' or 'table'`);
    expect(refusal(() => checkSignal(doc({ calibration: { kind: 'polynomial', coefficients: [] } }), 's1'))).toContain('needs coefficients');
    expect(refusal(() => checkSignal(doc({ valid: { from: '2024-06-02', to: '2024-06-01' } }), 's1'))).toContain('its binding 2 validity ends at "2024-06-01"');
    expect(refusal(() => checkSignal(doc({ valid: 'always' }), 's1'))).toContain('its binding 2 validity is "always"');
    expect(refusal(() => checkSignal(doc({ array: 'a1' }), 's1'))).toContain('its binding 2 array is "a1", not {id} or {reference}');
    expect(refusal(() => checkSignal(doc({ units: { raw: 'V' } }), 's1'))).toContain('its binding 2 units are');
    expect(refusal(() => checkSignal(doc({ id: 'b1' }), 's1'))).toContain('its binding 2 id “b1” is used twice');
    expect(refusal(() => checkSignal({ ...newSignal({ name: 'I' }), name: '', title: '' }, 's1'))).toContain('its name is ""');
  });

  it('an edit ends the binding it replaces and keeps it in the history', () => {
    const signal = checkSignal(newSignal({ name: 'I', bindings: [binding] }), 's1');
    const { id: _id, since: _since, ...rest } = binding;
    const edited = editBinding(signal, { ...rest, calibration: { kind: 'linear', gain: 3, offset: 0 } }, 'b1', '2024-07-01T00:00:00.000Z');
    expect(edited.bindings).toEqual([
      { ...binding, until: '2024-07-01T00:00:00.000Z', replaced_by: 'b2' },
      { ...rest, calibration: { kind: 'linear', gain: 3, offset: 0 }, id: 'b2', since: '2024-07-01T00:00:00.000Z' },
    ]);
    expect(() => editBinding(edited, rest, 'b1')).toThrow(/was replaced or removed meanwhile/);
  });
});

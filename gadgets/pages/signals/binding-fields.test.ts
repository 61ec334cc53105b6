import { describe, expect, it } from 'vitest';
import { bindingFromFields, fieldsFromBinding, type BindingFields } from './binding-fields';

const fields = (change: Partial<BindingFields>): BindingFields => ({ ...fieldsFromBinding(undefined, 'mA'), experiments: ['e1'], array: 'a1', ...change });

describe('the binding form', () => {
  it('reads each calibration kind', () => {
    expect(bindingFromFields(fields({ gain: '2', offset: '-0.5', rawUnits: 'V', channel: '2' }))).toEqual({
      valid: { experiments: ['e1'] },
      array: { id: 'a1' },
      channel: 1,
      calibration: { kind: 'linear', gain: 2, offset: -0.5 },
      units: { raw: 'V', calibrated: 'mA' },
    });
    expect(bindingFromFields(fields({ kind: 'polynomial', coefficients: '1, 0 -2' })).calibration).toEqual({ kind: 'polynomial', coefficients: [1, 0, -2] });
    expect(bindingFromFields(fields({ kind: 'table', points: '0:0, 1:10; 2:15' })).calibration).toEqual({ kind: 'table', points: [[0, 0], [1, 10], [2, 15]] });
  });

  it('round-trips a binding through its fields', () => {
    const body = bindingFromFields(fields({ validity: 'time', from: '2024-06-01T10:00:00', to: '', arrayMode: 'reference', reference: 'digitizer-1', kind: 'table', points: '0:1, 5:0' }));
    expect(bindingFromFields(fieldsFromBinding({ ...body, id: 'b1', since: '2024-01-01T00:00:00Z' }))).toEqual(body);
  });

  it('says which field to fix', () => {
    expect(() => bindingFromFields(fields({ experiments: [] }))).toThrow('Tick at least one experiment');
    expect(() => bindingFromFields(fields({ channel: '0' }))).toThrow('Channel “0” is not a whole number from 1.');
    expect(() => bindingFromFields(fields({ gain: 'two' }))).toThrow('The calibration needs a finite gain and offset');
    expect(() => bindingFromFields(fields({ kind: 'table', points: '0:0, 0:1' }))).toThrow('The calibration has table points out of order');
    expect(() => bindingFromFields(fields({ validity: 'time', from: '2024-06-02T00:00', to: '2024-06-01T00:00' }))).toThrow('must come after its start');
    expect(() => bindingFromFields(fields({ array: ' ' }))).toThrow('Choose the array');
  });
});

import { describe, expect, it } from 'vitest';
import { newExperiment } from './experiment-document';
import { newSignal, type SignalBinding } from './signal-document';
import { experimentArrays, resolveBinding, type ArrayRef, type ExperimentRef } from './resolve-binding';
import { SignalResolveError } from './signal-resolve-error';

const t = (time: string) => Date.parse(`2024-06-01T${time}Z`);
const shot = (id: string, start: string, end: string, arrays: string[] = []): ExperimentRef => ({
  id,
  doc: newExperiment({ name: `Shot ${id}`, start: `2024-06-01T${start}Z`, end: `2024-06-01T${end}Z`, arrays }),
});
const untimed: ExperimentRef = { id: 'bench', doc: newExperiment({ name: 'Bench test', arrays: ['a-bench'] }) };

const arrays: ArrayRef[] = [
  { id: 'a1', reference: 'digitizer-1', title: 'D1 10:00', start: t('10:00:00'), end: t('10:05:00') },
  { id: 'a2', reference: 'digitizer-1', title: 'D1 11:00', start: t('11:00:00'), end: t('11:05:00') },
  { id: 'a3', reference: 'digitizer-2', title: 'D2 11:00', start: t('11:00:00'), end: t('11:05:00') },
  { id: 'a-bench', reference: 'digitizer-1', title: 'bench' },
];

function binding(id: string, change: Partial<SignalBinding>): SignalBinding {
  return { id, valid: { experiments: [] }, array: { reference: 'digitizer-1' }, channel: 0, calibration: { kind: 'linear', gain: 1, offset: 0 }, units: { raw: 'V', calibrated: 'A' }, since: '2024-05-01T00:00:00Z', ...change };
}

function failure(run: () => unknown): SignalResolveError {
  try {
    run();
  } catch (error) {
    if (error instanceof SignalResolveError) return error;
    throw error;
  }
  throw new Error('expected a SignalResolveError');
}

describe('arrays belong to experiments by time overlap or link', () => {
  it('overlap is half-open; links come first; an array without time only by link', () => {
    expect(experimentArrays(shot('1', '10:04:59', '10:30:00'), arrays).map((a) => a.id)).toEqual(['a1']);
    expect(experimentArrays(shot('1', '10:05:00', '11:00:00'), arrays).map((a) => a.id)).toEqual([]); // touching ends share no time
    expect(experimentArrays(shot('2', '10:59:00', '11:01:00', ['a-bench']), arrays).map((a) => a.id)).toEqual(['a-bench', 'a2', 'a3']);
    expect(experimentArrays(untimed, arrays).map((a) => a.id)).toEqual(['a-bench']);
  });
});

describe('resolving (name, experiment) gives one binding', () => {
  const signal = newSignal({
    name: 'Langmuir_I',
    bindings: [
      binding('b1', { valid: { from: '2024-06-01T00:00:00Z', to: '2024-06-01T10:30:00Z' }, calibration: { kind: 'linear', gain: 2, offset: 0 } }),
      binding('b2', { valid: { from: '2024-06-01T10:30:00Z' }, array: { reference: 'digitizer-2' }, channel: 1 }),
      binding('b3', { valid: { experiments: ['bench'] }, array: { id: 'a-bench' } }),
      // Replaced: never resolves, even though it would overlap b1.
      binding('b0', { valid: { from: '2024-01-01T00:00:00Z' }, until: '2024-05-01T00:00:00Z', replaced_by: 'b1' }),
    ],
  });

  it('by time range, then by the array reference within the experiment', () => {
    expect(resolveBinding(signal, shot('1', '10:00:00', '10:10:00'), arrays)).toMatchObject({ arrayId: 'a1', binding: { id: 'b1' } });
    expect(resolveBinding(signal, shot('2', '11:00:00', '11:10:00'), arrays)).toMatchObject({ arrayId: 'a3', binding: { id: 'b2', channel: 1 } });
  });

  it('by listed experiment, with the array by id', () => {
    expect(resolveBinding(signal, untimed, arrays)).toMatchObject({ arrayId: 'a-bench', binding: { id: 'b3' } });
  });

  it('none: says which bindings exist and for which experiments', () => {
    const lonely = newSignal({ name: 'Probe_V', bindings: [binding('b1', { valid: { experiments: ['e7', 'e8'] } })] });
    const error = failure(() => resolveBinding(lonely, shot('9', '12:00:00', '12:10:00'), arrays, new Map([['e7', 'Shot 7']])));
    expect(error.status).toBe(404);
    expect(error.message).toBe(
      'Signal “Probe_V” has no binding for experiment “Shot 9” (9): its bindings are b1 (the array with reference “digitizer-1” channel 0, for experiments Shot 7 (e7), e8). Add a binding for this experiment on the signal\'s page.',
    );
    expect(failure(() => resolveBinding(newSignal({ name: 'X' }), untimed, arrays)).message).toContain('it has no binding yet');
  });

  it('two overlapping: names both', () => {
    const error = failure(() => resolveBinding(signal, shot('3', '10:20:00', '10:40:00'), arrays));
    expect(error.status).toBe(409);
    expect(error.details['bindings']).toEqual(['b1', 'b2']);
    expect(error.message).toBe(
      'Signal “Langmuir_I” has two bindings for experiment “Shot 3” (3): b1 (the array with reference “digitizer-1” channel 0, from 2024-06-01T00:00:00Z to 2024-06-01T10:30:00Z) and b2 (the array with reference “digitizer-2” channel 1, from 2024-06-01T10:30:00Z on). Edit one so that they do not overlap.',
    );
  });

  it('a binding by reference needs exactly one such array in the experiment', () => {
    const none = failure(() => resolveBinding(signal, shot('4', '09:00:00', '09:30:00'), arrays));
    expect(none.status).toBe(404);
    expect(none.message).toContain('experiment “Shot 4” (4) has none: it has no arrays (none linked, none recorded in its time range)');
    const two = failure(() => resolveBinding(signal, shot('5', '09:00:00', '09:30:00', ['a1', 'a-bench']), arrays));
    expect(two.status).toBe(409);
    expect(two.details['arrays']).toEqual(['a1', 'a-bench']);
  });
});

import { describe, expect, it } from 'vitest';
import { hasDone, processSteps } from './operation';

describe('a document’s processing history as another client may have written it', () => {
  it('keeps the entries that are objects and skips the rest', () => {
    const done = { name: 'decode', status: 'done', started: '' };
    const doc = { process: [null, 'decode', 7, done] };
    expect(processSteps(doc)).toEqual([done]);
    expect(hasDone(doc, 'decode')).toBe(true);
    expect(hasDone({ process: [null] }, 'decode')).toBe(false);
  });

  it('is empty when `process` is not a list', () => {
    for (const process of ['done', { name: 'decode' }, 3, null, undefined]) expect(processSteps({ process })).toEqual([]);
  });
});

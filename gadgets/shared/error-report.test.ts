import { describe, expect, it } from 'vitest';
import type { Doc, DocChange } from '../../storage';
import { MemoryStorage } from '../../storage/memory/memory-storage';
import { UuidStorage } from '../../storage/uuid/uuid-storage';
import { REPORT_LIMITS, errorReportDocument, toErrorReport, truncate, type ErrorReport } from './error-report';
import { ErrorReportKeeper } from '../app/error-report-keeper';

describe('error reports', () => {
  it('keeps name, message and stack of an Error, and where it happened', () => {
    const error = new RangeError('start after end');
    const report = toErrorReport(error, 'fs-app > fs-array-page');
    expect(report).toMatchObject({ name: 'RangeError', message: 'start after end', origin: 'fs-app > fs-array-page' });
    expect(report.stack).toContain('start after end');
    expect(Number.isNaN(Date.parse(report.time))).toBe(false);
  });

  it('turns thrown non-errors into readable reports', () => {
    expect(toErrorReport('disk full', 'window').message).toBe('disk full');
    expect(toErrorReport({ code: 7 }, 'window').message).toBe('{"code":7}');
  });

  it('becomes an Error Report document with the common fields', () => {
    const report = toErrorReport(new TypeError('x is undefined'), 'window');
    const doc = errorReportDocument(report, 'build-1');
    expect(doc).toMatchObject({
      portal_type: 'Error Report',
      title: 'TypeError: x is undefined',
      modification_date: report.time,
      origin: 'window',
      build: 'build-1',
    });
  });
});

describe('error report size cap', () => {
  it('cuts a huge message and stack to a sensible size, saying how much was cut', () => {
    const error = new Error('x'.repeat(1_000_000));
    error.stack = `Error: ${'frame\n'.repeat(200_000)}`;
    const report = toErrorReport(error, `fs-app > ${'fs-page > '.repeat(1000)}`);
    expect(report.message.length).toBeLessThan(REPORT_LIMITS.message + 40);
    expect(report.message).toMatch(/… \(998000 more characters\)$/);
    expect(report.stack!.length).toBeLessThan(REPORT_LIMITS.stack + 40);
    expect(report.origin.length).toBeLessThan(REPORT_LIMITS.origin + 40);
    const doc = errorReportDocument(report, 'build-1');
    expect(JSON.stringify(doc).length).toBeLessThan(25_000);
  });

  it('keeps short texts as they are and never cuts inside a surrogate pair', () => {
    expect(truncate('short', 10)).toBe('short');
    const cut = truncate(`${'a'.repeat(9)}😀tail`, 10);
    expect(cut.startsWith(`${'a'.repeat(9)}…`)).toBe(true);
  });

  it('reports a cyclic thrown value instead of throwing itself', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(toErrorReport(cyclic, 'window').message).toBe('[object Object]');
  });
});

/** The app's kind of storage (generated ids over memory), recording what it was asked to write. */
function recordingStore() {
  const storage = new UuidStorage(new MemoryStorage());
  const posted: Doc[] = [];
  const updates: string[] = [];
  return {
    storage,
    posted,
    updates,
    post: (doc: Doc) => {
      posted.push(doc);
      return storage.post(doc);
    },
    update: (id: string, change: DocChange) => {
      updates.push(id);
      return storage.update(id, change);
    },
  };
}

/** A clock and a scheduler the test moves by hand (nothing waits for real time). */
function manualTime() {
  let now = 1_000_000;
  const due: { at: number; run: () => void }[] = [];
  return {
    now: () => now,
    schedule: (run: () => void, delayMs: number) => void due.push({ at: now + delayMs, run }),
    async advance(ms: number) {
      now += ms;
      for (const task of due.filter((item) => item.at <= now)) {
        due.splice(due.indexOf(task), 1);
        task.run();
      }
      await new Promise((resolve) => setImmediate(resolve));
    },
  };
}

function failure(message: string, origin = 'fs-app > fs-array-page'): ErrorReport {
  return toErrorReport(new TypeError(message), origin);
}

describe('error report rate limit', () => {
  it('counts identical repeats on one document, written once per period, not a document each', async () => {
    const store = recordingStore();
    const time = manualTime();
    const keeper = new ErrorReportKeeper(store, { buildId: 'b', now: time.now, schedule: time.schedule, repeatWriteDelayMs: 5_000 });
    for (let i = 0; i < 1000; i++) await keeper.keep(failure('x is undefined'));
    expect(store.posted).toHaveLength(1);
    expect(store.posted[0]).toMatchObject({ portal_type: 'Error Report', count: 1 });
    expect(store.updates).toHaveLength(0); // gathered, not written one by one
    await time.advance(5_000);
    expect(store.updates).toHaveLength(1);
    const id = (await store.storage.allDocs()).rows[0]!.id;
    expect(await store.storage.get(id)).toMatchObject({ count: 1000, title: 'TypeError: x is undefined' });
    // Another device marks the report as seen meanwhile: the next count is added onto that version, which stays.
    await store.storage.update(id, (current) => ({ ...current!, seen_by: 'server' }));
    await keeper.keep(failure('x is undefined'));
    await time.advance(5_000);
    expect(await store.storage.get(id)).toMatchObject({ count: 1001, seen_by: 'server' });
    expect(store.posted).toHaveLength(1);
  });

  it('makes at most N new documents per minute; the dropped ones are counted on the next document', async () => {
    const store = recordingStore();
    const time = manualTime();
    const keeper = new ErrorReportKeeper(store, { buildId: 'b', now: time.now, schedule: time.schedule, maxPerMinute: 10 });
    for (let i = 0; i < 500; i++) await keeper.keep(failure(`failure number ${i}`));
    expect(store.posted).toHaveLength(10);
    expect(keeper.droppedSinceLastDocument).toBe(490);
    await time.advance(60_000);
    await keeper.keep(failure('after a quiet minute'));
    expect(store.posted).toHaveLength(11);
    expect(store.posted[10]).toMatchObject({ message: 'after a quiet minute', reports_dropped_before: 490 });
    expect(keeper.droppedSinceLastDocument).toBe(0);
  });

  it('makes at most M documents while the app runs, however slowly they come', async () => {
    const store = recordingStore();
    const time = manualTime();
    const keeper = new ErrorReportKeeper(store, { buildId: 'b', now: time.now, schedule: time.schedule, maxPerMinute: 10, maxPerSession: 25 });
    for (let i = 0; i < 100; i++) {
      await keeper.keep(failure(`slow failure ${i}`));
      await time.advance(10_000);
    }
    expect(store.posted).toHaveLength(25);
    expect(keeper.droppedSinceLastDocument).toBe(75);
  });

  it('the same message from another gadget is another failure', async () => {
    const store = recordingStore();
    const keeper = new ErrorReportKeeper(store, { buildId: 'b' });
    await keeper.keep(failure('boom', 'fs-app > fs-graph'));
    await keeper.keep(failure('boom', 'fs-app > fs-spectrum'));
    expect(store.posted).toHaveLength(2);
  });

  it('a report the store refused is not counted as kept: its next repeat makes a document', async () => {
    const store = recordingStore();
    let refuse = true;
    const keeper = new ErrorReportKeeper(
      { post: (doc) => (refuse ? Promise.reject(new Error('quota')) : store.post(doc)), update: store.update },
      { buildId: 'b' },
    );
    await expect(keeper.keep(failure('disk'))).rejects.toThrow('quota');
    refuse = false;
    await keeper.keep(failure('disk'));
    expect(store.posted).toHaveLength(1);
  });
});

import { describe, expect, it } from 'vitest';
import { errorReportDocument, toErrorReport } from './error-report';

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

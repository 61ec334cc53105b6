import type { BaseDocument } from '../../storage';
import { maskCredentials } from '../../storage/remote/mask-credentials';

/** What the error panel shows, and what is kept as an Error Report document once storage is there. */
export interface ErrorReport {
  message: string;
  name: string;
  /** Where it happened: the gadget path (e.g. `fs-app > fs-array-page`) or `window` for uncaught errors. */
  origin: string;
  stack?: string;
  time: string;
}

/** The report of a thrown value; a password in an address it names is masked (the report is synced to the server). */
export function toErrorReport(error: unknown, origin: string): ErrorReport {
  const asError = error instanceof Error ? error : new Error(typeof error === 'string' ? error : JSON.stringify(error));
  return {
    message: maskCredentials(asError.message || asError.name),
    name: asError.name,
    origin,
    ...(asError.stack ? { stack: maskCredentials(asError.stack) } : {}),
    time: new Date().toISOString(),
  };
}

/** The Error Report document kept for a report, so field errors reach the server with the next sync. */
export function errorReportDocument(report: ErrorReport, buildId: string): BaseDocument {
  return {
    portal_type: 'Error Report',
    reference: `error-${report.time}`,
    title: `${report.name}: ${report.message}`.slice(0, 200),
    modification_date: report.time,
    message: report.message,
    error_name: report.name,
    origin: report.origin,
    ...(report.stack ? { stack: report.stack } : {}),
    build: buildId,
    user_agent: typeof navigator === 'undefined' ? '' : navigator.userAgent,
  };
}

/** A thrown value's message, for sentences shown to the user ("Could not delete it: <message>"). */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message || error.name : String(error);
}

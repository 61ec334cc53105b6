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

/** The most of each text a report keeps: a looping failure with a huge message cannot fill the device or the server. */
export const REPORT_LIMITS = { name: 200, message: 2_000, origin: 500, stack: 16_000 } as const;

/** `text` cut to `max` characters (never inside a surrogate pair), saying how much was cut. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const end = /[\uD800-\uDBFF]/.test(text.charAt(max - 1)) ? max - 1 : max;
  return `${text.slice(0, end)}… (${text.length - end} more characters)`;
}

function describeThrown(value: unknown): string {
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value); // cyclic or BigInt: still say something
  }
}

/** The report of a thrown value; a password in an address it names is masked (the report is synced to the server). */
export function toErrorReport(error: unknown, origin: string): ErrorReport {
  const asError = error instanceof Error ? error : new Error(describeThrown(error));
  return {
    message: truncate(maskCredentials(asError.message || asError.name), REPORT_LIMITS.message),
    name: truncate(asError.name, REPORT_LIMITS.name),
    origin: truncate(origin, REPORT_LIMITS.origin),
    ...(asError.stack ? { stack: truncate(maskCredentials(asError.stack), REPORT_LIMITS.stack) } : {}),
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
    /** When it first happened (modification_date moves on with repeats). */
    time: report.time,
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

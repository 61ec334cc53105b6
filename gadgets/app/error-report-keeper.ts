import type { BaseDocument, Storage } from '../../storage';
import { errorReportDocument, type ErrorReport } from '../shared/error-report';

/** Where Error Report documents go (the app's storage: `post` makes a new one, `update` adds a repeat's count). */
export type ErrorReportStore = Pick<Storage, 'post' | 'update'>;

export interface ErrorReportKeeperOptions {
  buildId: string;
  /** New documents per rolling minute; reports beyond it are dropped and counted on the next document. */
  maxPerMinute?: number;
  /** New documents while the app runs (one page load). */
  maxPerSession?: number;
  /** How long repeats of one report are gathered before its document's count is rewritten (one write per period). */
  repeatWriteDelayMs?: number;
  now?: () => number;
  schedule?: (run: () => void, delayMs: number) => void;
}

interface KeptReport {
  id: Promise<string>;
  count: number;
  lastTime: string;
  writeScheduled: boolean;
}

const MINUTE = 60_000;

/** Reports are the same failure when name, message and origin match (the time and stack frames may differ). */
function sameFailure(report: ErrorReport): string {
  return `${report.name}\n${report.message}\n${report.origin}`;
}

/**
 * Keeps Error Report documents so that a looping failure cannot fill the device or the sync server: a repeat of a
 * report already kept adds to that document's `count` (rewritten at most once per `repeatWriteDelayMs`), and at most
 * `maxPerMinute` / `maxPerSession` new documents are made; what is dropped is counted as `reports_dropped_before` on
 * the next document made.
 */
export class ErrorReportKeeper {
  private readonly kept = new Map<string, KeptReport>();
  private readonly createdAt: number[] = [];
  private created = 0;
  private dropped = 0;
  private readonly maxPerMinute: number;
  private readonly maxPerSession: number;
  private readonly repeatWriteDelayMs: number;
  private readonly now: () => number;
  private readonly schedule: (run: () => void, delayMs: number) => void;

  constructor(
    private readonly store: ErrorReportStore,
    private readonly options: ErrorReportKeeperOptions,
  ) {
    this.maxPerMinute = options.maxPerMinute ?? 10;
    this.maxPerSession = options.maxPerSession ?? 100;
    this.repeatWriteDelayMs = options.repeatWriteDelayMs ?? 5_000;
    this.now = options.now ?? Date.now;
    this.schedule = options.schedule ?? ((run, delayMs) => void setTimeout(run, delayMs));
  }

  /** How many reports were dropped (over the limits) and not yet counted on a document. */
  get droppedSinceLastDocument(): number {
    return this.dropped;
  }

  /** Keeps `report`: a new document, a repeat counted on an earlier one, or dropped. Rejects when the store does. */
  async keep(report: ErrorReport): Promise<void> {
    const key = sameFailure(report);
    const earlier = this.kept.get(key);
    if (earlier) {
      earlier.count++;
      earlier.lastTime = report.time;
      this.scheduleCountWrite(earlier);
      return;
    }
    if (!this.mayCreate()) {
      this.dropped++;
      return;
    }
    const doc: BaseDocument = {
      ...errorReportDocument(report, this.options.buildId),
      count: 1,
      ...(this.dropped > 0 ? { reports_dropped_before: this.dropped } : {}),
    };
    this.dropped = 0;
    this.created++;
    this.createdAt.push(this.now());
    const entry: KeptReport = { id: this.store.post(doc), count: 1, lastTime: report.time, writeScheduled: false };
    this.kept.set(key, entry);
    entry.id.catch(() => this.kept.delete(key)); // not kept: a later repeat makes a new document
    await entry.id;
  }

  private mayCreate(): boolean {
    const since = this.now() - MINUTE;
    while (this.createdAt.length > 0 && this.createdAt[0]! <= since) this.createdAt.shift();
    return this.created < this.maxPerSession && this.createdAt.length < this.maxPerMinute;
  }

  private scheduleCountWrite(entry: KeptReport): void {
    if (entry.writeScheduled) return;
    entry.writeScheduled = true;
    this.schedule(() => void this.writeCount(entry), this.repeatWriteDelayMs);
  }

  private async writeCount(entry: KeptReport): Promise<void> {
    entry.writeScheduled = false;
    try {
      const id = await entry.id;
      const counted = { count: entry.count, last_time: entry.lastTime, modification_date: entry.lastTime };
      // Onto the stored version: what another device or the server added to the report meanwhile stays. Removed
      // (cleared by the user): not written again.
      await this.store.update(id, (current) => (current ? { ...current, ...counted } : undefined));
    } catch (failure) {
      console.warn('The count of a repeated error report could not be kept:', failure);
    }
  }
}

// The statistics of a large array in a worker gadget (gadgets/core worker sandbox): the page stays responsive, the
// call is cancelled with the caller's AbortSignal, and the samples arrive by range from the declaring gadget.
import { WorkerGadget, serveWorkerGadget } from '../../gadgets/core/worker';
import type { DataArrayDocument } from '../../storage/arrays';
import type { ArraySource } from './array-source';
import type { StatisticsParameters } from './parameters';
import { readEnvelopeKey, readSamplesKey, reportProgressKey } from './statistics-keys';
import { timesliceStatistics, type StatisticsResult } from './timeslice-statistics';

export class StatisticsWorker extends WorkerGadget {
  static override declaredMethods = ['compute'];

  /** Statistics per timeslice of array `id` (its document as read by the caller), reporting progress as it goes. */
  compute(id: string, doc: DataArrayDocument, parameters: StatisticsParameters, { signal }: { signal?: AbortSignal } = {}): Promise<StatisticsResult> {
    const source: ArraySource = {
      doc,
      read: (start, end, readSignal) => this.acquireWith({ signal: readSignal ?? signal }, readSamplesKey, id, start, end),
      envelope: (start, end, width, readSignal) => this.acquireWith({ signal: readSignal ?? signal }, readEnvelopeKey, id, start, end, width),
    };
    return timesliceStatistics(source, parameters, {
      signal,
      onProgress: (done, total) => void this.acquire(reportProgressKey, done, total).catch(() => {}),
    });
  }
}

serveWorkerGadget(StatisticsWorker);

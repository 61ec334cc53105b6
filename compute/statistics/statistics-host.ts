import type { Gadget, Remote } from '../../gadgets/core';
import type { Storage } from '../../storage';
import { arrayDocuments, readEnvelope, readRange } from '../../storage/arrays';
import workerUrl from './statistics-worker.ts?worker&url';
import type { StatisticsWorker } from './statistics-worker';
import { readEnvelopeKey, readSamplesKey, reportProgressKey, STATISTICS_ACQUISITIONS } from './statistics-keys';

/**
 * Lets `gadget`'s statistics worker read arrays from `storage` by range (copies: a storage's cache keeps its own
 * buffers, and what crosses to the worker is transferred) and report progress to `onProgress`.
 */
export function provideStatisticsReads(gadget: Gadget, storage: () => Promise<Storage>, onProgress: (done: number, total: number) => void): void {
  const documentFor = arrayDocuments(storage).read;
  gadget.provide(readSamplesKey, async ({ signal }, id, start, end) => {
    const [opened, doc] = await documentFor(id, end, signal);
    return (await readRange(opened, doc, id, start, end, { signal })).data.slice();
  });
  gadget.provide(readEnvelopeKey, async ({ signal }, id, start, end, width) => {
    const [opened, doc] = await documentFor(id, end, signal);
    return readEnvelope(opened, doc, id, start, end, width, { signal });
  });
  gadget.provide(reportProgressKey, (_request, done, total) => onProgress(done, total));
}

/** Starts the statistics worker as `gadget`'s child (worker sandbox), allowed only the statistics reads. */
export function declareStatisticsWorker(gadget: Gadget, scope = 'statistics'): Promise<Remote<StatisticsWorker, 'compute'>> {
  return gadget.declareGadget<Remote<StatisticsWorker, 'compute'>>(workerUrl, { sandbox: 'worker', scope, acquisitions: STATISTICS_ACQUISITIONS });
}

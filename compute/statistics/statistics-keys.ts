import { acquisitionKey } from '../../gadgets/core/acquisition';
import type { Envelope, NumericArray } from '../../storage/arrays';

/**
 * What the statistics worker acquires from the gadget that declares it: the array's samples and envelopes by range
 * (the page's storage, which may read from the sync server), and a place to report progress. Nothing else crosses.
 */
export const readSamplesKey = acquisitionKey<[id: string, start: number, end: number], NumericArray>('statistics.readSamples');
export const readEnvelopeKey = acquisitionKey<[id: string, start: number, end: number, width: number], Envelope>('statistics.readEnvelope');
export const reportProgressKey = acquisitionKey<[done: number, total: number], void>('statistics.progress');

export const STATISTICS_ACQUISITIONS = [readSamplesKey.name, readEnvelopeKey.name, reportProgressKey.name];

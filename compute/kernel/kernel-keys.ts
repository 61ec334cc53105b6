import { acquisitionKey } from '../../gadgets/core/acquisition';
import type { DataArrayDocument, Envelope, NewDataArray, NumericArray } from '../../storage/arrays';
import type { SignalPlan } from '../signals/signal-plan';
import type { JupyterMessage } from './messages';

/** What a cell learns of an array without reading its samples. */
export interface KernelArrayInfo {
  id: string;
  title: string;
  dtype: string;
  /** Samples (rows); each holds `channels` values. */
  length: number;
  channels: number;
  sampling_rate: number | undefined;
}

/**
 * What the kernel's worker acquires from the notebook gadget that declares it. Nothing else crosses: the worker has
 * an opaque origin, so these are its only way to the app's documents.
 */
export const kernelIopubKey = acquisitionKey<[message: JupyterMessage], void>('kernel.iopub');
export const kernelDocumentsKey = acquisitionKey<[query: string, limit: number], Array<{ id: string; doc: Record<string, unknown> }>>('kernel.documents');
export const kernelArrayInfoKey = acquisitionKey<[id: string], KernelArrayInfo>('kernel.arrayInfo');
/** The whole Data Array document (metadata only: what statistics need to place samples in time). */
export const kernelArrayDocumentKey = acquisitionKey<[id: string], DataArrayDocument>('kernel.arrayDocument');
export const kernelReadEnvelopeKey = acquisitionKey<[id: string, start: number, end: number, width: number], Envelope>('kernel.readEnvelope');
/** Keeps a picture (a raster Blob) as an Image document; resolves to its id. */
export const kernelSaveImageKey = acquisitionKey<[image: Blob, title: string, source: string | undefined], string>('kernel.saveImage');
/**
 * Plans (signal name or id, experiment id): its binding and array, or a derived signal's inputs (plain data; the worker
 * reads the arrays through the keys above and calibrates); a SignalResolveError says what is missing.
 */
export const kernelResolveSignalKey = acquisitionKey<[name: string, experiment: string], SignalPlan>('kernel.resolveSignal');
export const kernelReadArrayKey = acquisitionKey<[id: string, start: number, end: number], NumericArray>('kernel.readArray');
export const kernelCreateArrayKey = acquisitionKey<[spec: NewDataArray], string>('kernel.createArray');
export const kernelAppendArrayKey = acquisitionKey<[id: string, samples: NumericArray], number>('kernel.appendArray');

/**
 * A file of the Python runtime (`pyodide/<name>`), fetched by the page: the kernel's opaque worker is no client of
 * the service worker, the page is, so the runtime kept there once is served offline.
 */
export const kernelRuntimeFileKey = acquisitionKey<[name: string], ArrayBuffer>('kernel.runtimeFile');

export const KERNEL_ACQUISITIONS = [
  kernelIopubKey,
  kernelDocumentsKey,
  kernelArrayInfoKey,
  kernelArrayDocumentKey,
  kernelReadArrayKey,
  kernelReadEnvelopeKey,
  kernelResolveSignalKey,
  kernelCreateArrayKey,
  kernelAppendArrayKey,
  kernelSaveImageKey,
  kernelRuntimeFileKey,
].map((key) => key.name);

import type { Doc } from '../../../storage';
import { asDataArray, dataBytes, sampleCount, type DataArrayDocument } from '../../../storage/arrays';
import { processSteps } from '../../../compute/chain/operation';
import { itemPatternOf } from '../../shared/modules';
import { formatHash } from '../../shared/router';
import { textField } from '../../shared/doc-fields';

/** What a dashboard card shows of one source, derived from its document (and the array drawing it). */
export interface SourceSummary {
  id: string;
  /** The source type's key (`SourceType.key`), for the type filter. */
  type: string;
  typeLabel: string;
  title: string;
  /** Lower-case title and reference, for the text filter. */
  searchText: string;
  href: string;
  /** Bytes of its data as its document describes them (the data may be on the sync server only). */
  bytes: number;
  /** Last change, ms since 1970 (0 when unknown): the "recent" sort. */
  modified: number;
  /** The array whose pyramid draws the sparkline and gives the latest value; none before anything is decoded. */
  samples?: { id: string; doc: DataArrayDocument };
  /** The last processing state in words: "Recording", "decode done", "spectrum failed", "Not processed". */
  state: string;
  failed: boolean;
  /** Changes whenever what the card draws changes (samples appended, a step finished): the card reads again. */
  version: string;
}

/**
 * A kind of document the dashboard shows as a card. A new kind of source (e.g. named signals) is one more entry in
 * `sourceTypes`: its portal type, and where its size and samples are.
 */
export interface SourceType {
  key: string;
  label: string;
  portalType: string;
  bytes(doc: Doc, samples: DataArrayDocument | undefined): number;
  /** Id of the Data Array whose samples the card draws, if any. */
  samplesId(id: string, doc: Doc): string | undefined;
}

export const sourceTypes: readonly SourceType[] = [
  {
    key: 'stream',
    label: 'Data Stream',
    portalType: 'Data Stream',
    // A recording's size is written when it stops; until then its array tells how much there is.
    bytes: (doc, samples) => (typeof doc['size'] === 'number' ? doc['size'] : samples ? dataBytes(samples) : 0),
    samplesId: (_id, doc) => textField(doc, 'recording_array') || decodedArrays(doc)[0],
  },
  {
    key: 'array',
    label: 'Data Array',
    portalType: 'Data Array',
    bytes: (_doc, samples) => (samples ? dataBytes(samples) : 0),
    samplesId: (id) => id,
  },
];

/** The storage query selecting every source document. */
export function sourceQuery(): string {
  return sourceTypes.map((type) => `portal_type:="${type.portalType}"`).join(' OR ');
}

export function sourceTypeOf(doc: Doc | undefined): SourceType | undefined {
  return sourceTypes.find((type) => type.portalType === doc?.['portal_type']);
}

/**
 * The card of document `id`, or undefined when it is not a source. `lookup` finds other loaded documents (a stream's
 * array); an array not loaded, or not a valid Data Array, draws nothing.
 */
export function summarizeSource(id: string, doc: Doc, lookup: (id: string) => Doc | undefined): SourceSummary | undefined {
  const type = sourceTypeOf(doc);
  if (!type) return undefined;
  const samplesId = type.samplesId(id, doc);
  const samplesDoc = samplesId === undefined ? undefined : samplesId === id ? doc : lookup(samplesId);
  const samples = samplesId !== undefined && samplesDoc ? asDataArray(samplesDoc, samplesId) : undefined;
  const title = textField(doc, 'title') || textField(doc, 'reference') || id;
  const modifiedText = textField(doc, 'modification_date');
  const modified = Date.parse(modifiedText);
  const { state, failed } = processingState(doc);
  return {
    id,
    type: type.key,
    typeLabel: type.label,
    title,
    searchText: `${title} ${textField(doc, 'reference')}`.toLowerCase(),
    href: formatHash(itemPatternOf(type.portalType) ?? '', { id }),
    bytes: type.bytes(doc, samples),
    modified: Number.isNaN(modified) ? 0 : modified,
    ...(samples && samplesId !== undefined ? { samples: { id: samplesId, doc: samples } } : {}),
    state,
    failed,
    version: [modifiedText, state, samples ? `${sampleCount(samples)}@${samples.modification_date}` : ''].join('|'),
  };
}

/** The ids of the arrays a stream's steps made (the decode step's result). */
function decodedArrays(doc: Doc): string[] {
  return processSteps(doc)
    .flatMap((step) => (step.result as { arrays?: unknown } | null | undefined)?.arrays)
    .filter((id): id is string => typeof id === 'string' && id !== '');
}

function processingState(doc: Doc): { state: string; failed: boolean } {
  const status = textField(doc, 'status');
  if (status === 'recording') return { state: 'Recording', failed: false };
  if (status === 'writing') return { state: 'Being written', failed: false };
  const last = processSteps(doc).at(-1);
  if (!last) return { state: 'Not processed', failed: false };
  return { state: `${last.name} ${last.status}`, failed: last.status === 'failed' };
}

export * from './dtypes';
export {
  createDataArray,
  completeDataArray,
  getDataArray,
  appendSamples,
  readRange,
  readSummaries,
  iterateChunks,
  channelCount,
  sampleCount,
  dataBytes,
  pyramidAttachment,
  PYRAMID_BASE,
  type DataArrayDocument,
  type NewDataArray,
} from './data-array';
export { checkDataArray, asDataArray } from './check-data-array';
export { readEnvelope, type Envelope } from './envelope';
export { arrayDocuments } from './array-documents';

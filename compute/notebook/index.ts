export * from './notebook-document';
export { outputDocument, outputDocumentId, outputsOf, outputsOfNotebook, saveOutput, clearOutputs, type OutputDocument } from './output-document';
export { importIpynb, exportIpynb, toIpynb, fromIpynb, IpynbFormatError, type NbNotebook } from './ipynb';

/** What the chain's worker tells the page: only that it stopped on an error it could not record on a document. */
export type ChainWorkerMessage = { type: 'failed'; message: string };

import { DATA_ATTACHMENT, type Doc } from '../../storage';

/**
 * Where a Data Stream's bytes are: its own `data` attachment, or, for a raw file whose bytes are the samples of the
 * array it was decoded to (see `fileBytesAreSamples`), that array's `data`, kept once for both.
 */
export function streamBytesAt(streamId: string, stream: Doc): { id: string; name: string } {
  const array = stream['data_in_array'];
  return { id: typeof array === 'string' && array !== '' ? array : streamId, name: DATA_ATTACHMENT };
}

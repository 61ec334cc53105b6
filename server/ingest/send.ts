/**
 * Sends bytes `at`… of a source to the stream; resolves to the source's offset on the server afterwards (see
 * StreamAppender.append): where the next piece starts.
 */
export type Send = (source: string, at: number, bytes: Uint8Array) => Promise<number>;

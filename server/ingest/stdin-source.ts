import type { Readable } from 'node:stream';
import { ByteQueue } from '../../compute/ingest/byte-queue';
import type { Send } from './send';

export interface StdinSourceOptions {
  input: Readable;
  /** The source key; its bytes continue the count the server holds for it (`start`). */
  key: string;
  start: number;
  pieceBytes: (most: number) => number;
  maxPieceBytes: number;
  /** Bytes read ahead and kept while the server cannot take them; past this, reading pauses (the writer then blocks). */
  bufferBytes: number;
  /** A part-filled piece is sent after this long without a full one (fluentd's flush_interval). */
  flushMs: number;
  signal: AbortSignal;
}

/**
 * Sends standard input (or any byte stream) until it ends: read ahead into a bounded buffer, so a sensor writing into
 * the pipe keeps going while the network is down, and sent a piece at a time. A pipe cannot be read again, so there is
 * no position file: a new run continues the count the stream keeps for this source.
 */
export async function sendStream(options: StdinSourceOptions, send: Send): Promise<void> {
  const { input, signal } = options;
  const queue = new ByteQueue();
  let ended = false;
  let failed: Error | undefined;
  let wake = () => undefined as void;
  let pendingSince = Date.now();
  const onData = (chunk: Buffer) => {
    if (queue.length === 0) pendingSince = Date.now();
    queue.push(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length));
    if (queue.length >= options.bufferBytes) input.pause();
    wake();
  };
  const onEnd = () => ((ended = true), wake());
  const onError = (error: Error) => ((failed = error), wake());
  input.on('data', onData);
  input.once('end', onEnd);
  input.once('error', onError);
  try {
    let at = options.start;
    for (;;) {
      signal.throwIfAborted();
      if (failed) throw failed;
      const most = options.pieceBytes(options.maxPieceBytes);
      if (queue.length === 0 && ended) return;
      const waited = Date.now() - pendingSince;
      // A part-filled piece waits for more bytes, at most a flush interval from its first byte.
      if (queue.length < most && !ended && (queue.length === 0 || waited < options.flushMs)) {
        await waitFor(queue.length === 0 ? options.flushMs : options.flushMs - waited, signal, (resume) => (wake = resume));
        continue;
      }
      const bytes = queue.take(Math.min(most, queue.length)).slice();
      pendingSince = Date.now();
      if (queue.length < options.bufferBytes) input.resume();
      const next = await send(options.key, at, bytes);
      if (next !== at + bytes.length) throw new Error(`The stream holds ${next} bytes of standard input where ${at + bytes.length} were expected: it was changed by another writer or restored from an older copy. Nothing more is sent.`);
      at = next;
    }
  } finally {
    input.off('data', onData);
    input.off('end', onEnd);
    input.off('error', onError);
  }
}

function waitFor(ms: number, signal: AbortSignal, setWake: (resume: () => void) => void): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      setWake(() => undefined);
      resolve();
    }
    setWake(done);
    signal.addEventListener('abort', done, { once: true });
  });
}

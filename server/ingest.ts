import { CouchStorage } from '../storage/remote/couch-storage';
import { numberOption, parseArguments, remoteClient, UsageError } from './cli-options';
import { runIngest, type IngestProgress } from './ingest/run-ingest';

const USAGE = `npm run ingest -- FILE|DIR|- --remote URL --stream NAME [--user NAME --password-file FILE]
  [--pos-file FILE] [--follow] [--poll-ms 1000] [--piece-bytes 4194304] [--buffer-bytes 67108864] [--flush-ms 1000]
  [--content-type TYPE] [--source-id ID] [--max-backoff-ms 30000] [--max-retries N] [--progress-ms 2000] [--quiet]`;

/**
 * `npm run ingest`: appends a file (growing, with --follow), a folder's files or standard input ('-') to the Data
 * Stream NAME on a CouchDB-protocol server, like fluentd's in_tail with a pos_file: a restart sends nothing twice and
 * loses nothing; while the server cannot be reached it waits with backoff (and reads standard input ahead into a
 * buffer). Prints progress and throughput. Ctrl-C stops it cleanly (the stream is then marked complete).
 */
export async function main(argv: string[]): Promise<number> {
  let parsed: ReturnType<typeof parseArguments>;
  let storage: CouchStorage;
  try {
    parsed = parseArguments(argv, ['follow', 'quiet', 'help']);
    if (parsed.flags.has('help')) {
      console.log(USAGE);
      return 0;
    }
    if (parsed.rest.length !== 1) throw new UsageError('Give one input: a file, a folder, or - for standard input.');
    if (!parsed.values.get('stream')) throw new UsageError('--stream NAME is required: the Data Stream (document id) to append to.');
    if (parsed.values.get('stream')!.startsWith('_')) throw new UsageError('--stream cannot start with "_" (CouchDB keeps those ids).');
    storage = new CouchStorage(remoteClient(parsed.values));
  } catch (error) {
    console.error(error instanceof UsageError ? `${error.message}\n${USAGE}` : (error as Error).message);
    return 2;
  }
  const { values, flags, rest } = parsed;
  const quiet = flags.has('quiet');
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  let last: IngestProgress | undefined;
  let printed = 0;
  const progressMs = numberOption(values, 'progress-ms', 2000);
  try {
    const maxRetries = values.has('max-retries') ? numberOption(values, 'max-retries', 0) : undefined;
    const done = await runIngest({
      storage,
      stream: values.get('stream')!,
      input: rest[0]!,
      follow: flags.has('follow'),
      pollMs: numberOption(values, 'poll-ms', 1000),
      pieceBytes: numberOption(values, 'piece-bytes', 4 * 1024 * 1024),
      bufferBytes: numberOption(values, 'buffer-bytes', 64 * 1024 * 1024),
      flushMs: numberOption(values, 'flush-ms', 1000),
      maxBackoffMs: numberOption(values, 'max-backoff-ms', 30_000),
      ...(maxRetries === undefined ? {} : { maxRetries }),
      ...(values.has('pos-file') ? { posFile: values.get('pos-file')! } : {}),
      ...(values.has('content-type') ? { contentType: values.get('content-type')! } : {}),
      ...(values.has('source-id') ? { sourceId: values.get('source-id')! } : {}),
      signal: controller.signal,
      onProgress: (progress) => {
        last = progress;
        if (quiet || Date.now() - printed < progressMs) return;
        printed = Date.now();
        console.log(describe(progress));
      },
      onRetry: (error, wait) => quiet || console.log(`server unreachable (${error.message}); trying again in ${wait} ms`),
      onWarning: (message) => console.error(message),
    });
    console.log(`done: ${describe(done ?? last)}`);
    return 0;
  } catch (error) {
    console.error(`The ingest stopped: ${(error as Error).message}${last ? ` (${describe(last)})` : ''}`);
    return 1;
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}

function describe({ sent, skipped, total, retries, streamSize, seconds }: IngestProgress): string {
  const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
  const rate = seconds > 0 ? sent / 1024 / 1024 / seconds : 0;
  return `sent ${mib(sent)} MiB${total !== undefined ? ` of ${mib(total)} MiB in the input` : ''} at ${rate.toFixed(2)} MiB/s, ${retries} retries${skipped > 0 ? `, ${mib(skipped)} MiB found on the server already` : ''}; the stream holds ${mib(streamSize)} MiB`;
}

import { hostname } from 'node:os';
import { defaultOperations } from '../compute/chain/operations';
import { RemoteError } from '../storage/remote/remote-error';
import { ChainWorker, type WorkerEvent } from './chain-worker';
import { numberOption, parseArguments, remoteClient, UsageError } from './cli-options';
import { ensureStepIndex } from './step-index';

const USAGE = `npm run worker -- --remote URL [--user NAME --password-file FILE] [--id ID] [--lease-ms 60000]
  [--retries 3] [--retry-base-ms 1000] [--poll-ms 2000] [--until-idle] [--quiet]`;

/**
 * `npm run worker`: runs the app's processing chain (decode → statistics → spectrum) on a CouchDB-protocol database.
 * Start as many as you like, here or on other machines: they share the documents through claims. Ctrl-C (SIGINT) or
 * SIGTERM stops it after giving back the claim it holds. Prints one line per step.
 */
export async function main(argv: string[]): Promise<number> {
  let worker: ChainWorker;
  let untilIdle: boolean;
  let quiet: boolean;
  try {
    const { values, flags } = parseArguments(argv, ['until-idle', 'quiet', 'help']);
    if (flags.has('help')) {
      console.log(USAGE);
      return 0;
    }
    const client = remoteClient(values);
    untilIdle = flags.has('until-idle');
    quiet = flags.has('quiet');
    worker = new ChainWorker(client, defaultOperations, {
      worker: values.get('id') ?? `${hostname()}:${process.pid}`,
      leaseMs: numberOption(values, 'lease-ms', 60_000),
      retries: numberOption(values, 'retries', 3),
      retryBaseMs: numberOption(values, 'retry-base-ms', 1000),
      pollMs: numberOption(values, 'poll-ms', 2000),
      onEvent: (event) => (quiet && event.type !== 'failed' && event.type !== 'unreachable' ? undefined : console.log(describe(event))),
    });
    await client.info();
    await ensureStepIndex(client);
  } catch (error) {
    console.error(error instanceof UsageError ? `${error.message}\n${USAGE}` : startFailure(error));
    return 2;
  }
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  console.log(`worker ${worker.worker} running the chain`);
  try {
    await worker.run(controller.signal, { untilIdle });
    return 0;
  } catch (error) {
    console.error(`The worker stopped: ${(error as Error).message}`);
    return 1;
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}

function describe(event: WorkerEvent): string {
  switch (event.type) {
    case 'claimed':
      return `claimed ${event.step} ${event.id}`;
    case 'done':
      return `done ${event.step} ${event.id} ${event.ms} ms`;
    case 'failed':
      return `failed ${event.step} ${event.id}: ${event.error}`;
    case 'lost':
      return `lost ${event.step} ${event.id}: another worker took it over`;
    case 'unreachable':
      return `server unreachable (${event.error}); trying again in ${event.retryInMs} ms`;
  }
}

function startFailure(error: unknown): string {
  if (error instanceof RemoteError && error.status === 403) return `${error.message} The worker creates its index (a design document) at start: run it once as a database admin.`;
  return error instanceof Error ? error.message : String(error);
}

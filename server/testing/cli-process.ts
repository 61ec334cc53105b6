import { spawn, type ChildProcess } from 'node:child_process';

export interface CliProcess {
  child: ChildProcess;
  /** Everything it printed so far (stdout and stderr). */
  output(): string;
  /** Its exit code (null when killed by a signal). */
  exit: Promise<number | null>;
}

/**
 * A command of server/ (`server/ingest.ts`, `server/worker.ts`) run as a user runs it, in a process of its own (so a
 * test can SIGKILL it as a power cut would), signed in as `admin` through FIELDSCOPE_PASSWORD.
 */
export function runCli(entry: string, args: string[], admin: { name: string; password: string }): CliProcess {
  const child = spawn(process.execPath, ['scripts/run-ts.mjs', entry, ...args, '--user', admin.name], {
    cwd: process.cwd(),
    env: { ...process.env, FIELDSCOPE_PASSWORD: admin.password },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (part: Buffer) => (output += part.toString()));
  child.stderr!.on('data', (part: Buffer) => (output += part.toString()));
  return { child, output: () => output, exit: new Promise((resolve) => child.once('exit', (code) => resolve(code))) };
}

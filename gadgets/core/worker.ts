// The runtime for worker scripts: everything a headless gadget needs, without Lit (there is no DOM in a Worker).
// In a worker script import from 'gadgets/core/worker', not from 'gadgets/core'.
export { WorkerGadget, serveWorkerGadget } from './worker-gadget';
export { acquisitionKey, type AcquisitionKey } from './acquisition';
export { AcquisitionError, SandboxError } from './errors';
export { abortError, isAbortError, sleep, raceAbort, anySignal, throwIfAborted } from './cancel';

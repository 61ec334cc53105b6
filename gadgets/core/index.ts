// The gadget runtime: renderJS's behaviour, typed, with AbortSignal cancellation. See ./README.md.
export { Gadget, gadgetPath, type Job, type MutexMethod, type OnEventOptions } from './gadget';
export {
  acquisitionKey,
  reportServiceErrorKey,
  reportGadgetDeclarationErrorKey,
  type AcquisitionKey,
  type AcquisitionHandler,
  type AcquisitionRequest,
} from './acquisition';
export { AcquisitionError, ScopeError, GadgetDeclarationError, SandboxError } from './errors';
export { Mutex } from './mutex';
export { abortError, isAbortError, untilAborted, sleep, nextFrame, raceAbort, anySignal, throwIfAborted } from './cancel';
export { type DeclareOptions, type SandboxKind } from './declaration';
export { type RemoteGadget, type Remote } from './sandbox/remote';
export { WorkerGadget, serveWorkerGadget } from './worker-gadget';
export { type GadgetModule, type GadgetSource } from './module-loader';

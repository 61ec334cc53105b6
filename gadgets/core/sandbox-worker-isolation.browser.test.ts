import { describeWorkerIsolation } from './testing/worker-isolation-suite';

// This Chromium gives a data: URL worker an opaque origin, so the app starts worker gadgets itself.
describeWorkerIsolation('started by the app', { fromSandboxPage: false });

export { ChainRunner, type ChainRunnerOptions } from './chain-runner';
export { defaultOperations, decodeStream, summaryStatistics, spectrumOfSignal } from './operations';
export { forgetFailedStep, hasDone, processSteps, type Operation } from './operation';

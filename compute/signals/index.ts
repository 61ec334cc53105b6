export { calibrate, calibrateChannel, checkCalibration, describeCalibration, IDENTITY, type Calibration } from './calibration';
export { directionOver, type Direction } from './monotony';
export { checkExperiment, experimentRange, newExperiment, CONDITION_TYPES, type ExperimentConditions, type ExperimentDocument } from './experiment-document';
export { checkSignal, editBinding, isCurrent, newSignal, type SignalBinding, type SignalDocument } from './signal-document';
export { SignalResolveError } from './signal-resolve-error';
export { bindingHolds, describeBinding, experimentArrays, resolveBinding, type ArrayRef, type ExperimentRef, type Resolution } from './resolve-binding';
export { arrayRef, arrayRefs, findSignal, getExperiment, resolveSignal, type ResolvedSignal } from './resolve-signal';
export { calibratedSource, type CalibratedSpec } from './calibrated-source';
export { calibratedUnits, openSignal, sourceOf, type OpenSignal } from './open-signal';

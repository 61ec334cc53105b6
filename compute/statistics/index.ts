export { timesliceStatistics, DEFAULT_EXACT_LIMIT, type StatisticsResult, type SliceStatistics, type TimesliceOptions } from './timeslice-statistics';
export { parseStatisticsParameters, quantileOf, NAMED_STATISTICS, type StatisticsParameters, type StatisticsRequest } from './parameters';
export { storageArraySource, type ArraySource } from './array-source';
export { SKETCH_RELATIVE_ACCURACY } from './quantile-sketch';
export { TIMESLICES, MAX_SLICES, type Timeslice } from './timeslices';
export { deviceTimeZone } from './time-zone';
export type { ChannelSliceStatistics } from './slice-reducer';
export * from './statistics-error';

import type { ChannelSliceStatistics } from './slice-reducer';
import type { Slice } from './timeslices';

/** One slice to answer: its samples [first, last) (known up front with a sampling rate, found while reading with a time channel). */
export interface SliceJob {
  slice: Slice;
  first: number;
  last: number;
  channels?: ChannelSliceStatistics[];
}

/** A channel with no statistics: each asked one null (a slice without samples, or the time channel itself). */
export function noStatistics(names: readonly string[]): ChannelSliceStatistics {
  return { values: Object.fromEntries(names.map((name) => [name, null])), exact: true };
}

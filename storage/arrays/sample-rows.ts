import type { NumericArray } from './dtypes';

/**
 * Samples × channels over one typed array, row by row (the channel values of a sample side by side): the view a range
 * read returns, with ndarray's `data`, `shape` and `get`. Written out rather than made with the ndarray package, which
 * compiles its views with `new Function`: the app's Content-Security-Policy refuses that on its pages.
 */
export class SampleRows<T extends NumericArray = NumericArray> {
  /** [rows, channels]. */
  readonly shape: [number, number];
  private readonly channels: number;

  constructor(
    readonly data: T,
    rows: number,
    channels: number,
  ) {
    if (rows * channels !== data.length) throw new RangeError(`${data.length} values are not ${rows} rows of ${channels} channels.`);
    this.shape = [rows, channels];
    this.channels = channels;
  }

  /** The value of `channel` in sample `row` (undefined outside the view, as a typed array reads). */
  get(row: number, channel: number): number {
    return this.data[row * this.channels + channel] as number;
  }
}

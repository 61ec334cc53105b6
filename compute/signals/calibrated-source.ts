import type { ArraySource } from '../statistics/array-source';
import type { DataArrayDocument, Envelope } from '../../storage/arrays';
import { nanMax, nanMin } from '../../storage/arrays/pyramid';
import { calibrate, calibrateChannel, type Calibration } from './calibration';
import { directionOver } from './monotony';

/** What a calibrated signal reads: one channel of a raw source, through a calibration, named and in its units. */
export interface CalibratedSpec {
  /** The signal's name: the document's title and channel label. */
  name: string;
  channel: number;
  calibration: Calibration;
  /** The calibrated values' unit. */
  units: string;
  /** The signal's id, kept as the document's `source`. */
  source?: string;
}

/**
 * A calibrated signal read exactly like a Data Array: one channel, float64 values, with the raw array's time axis, so
 * the graph, statistics and spectrum need no change. Envelopes come from the raw array's pyramid where the
 * calibration allows: per column, a calibration increasing over the column's raw [min, max] maps min and max, a
 * decreasing one swaps them; a column whose raw range holds a turning point (a polynomial's, a table's peak) is read
 * from its raw samples, since its calibrated extremes are not the images of its raw ones. first and last are mapped.
 */
export function calibratedSource(raw: ArraySource, spec: CalibratedSpec): ArraySource {
  const channels = raw.doc.shape[1] ?? 1;
  if (!Number.isSafeInteger(spec.channel) || spec.channel < 0 || spec.channel >= channels) throw new RangeError(`Channel ${spec.channel + 1} is not in “${raw.doc.title}”, which has ${channels}.`);
  const { calibration, channel } = spec;
  const doc: DataArrayDocument = {
    ...raw.doc,
    title: spec.name,
    dtype: 'float64',
    shape: [raw.doc.shape[0]],
    units: { ...(raw.doc.units?.x !== undefined ? { x: raw.doc.units.x } : {}), y: spec.units },
    channel_labels: [spec.name],
    pyramid: { ...raw.doc.pyramid, dtype: 'float64' },
    ...(spec.source !== undefined ? { source: spec.source } : {}),
  };
  delete doc.process; // the raw array's processing steps are not the signal's
  return {
    doc,
    read: async (start, end, signal) => calibrateChannel(calibration, await raw.read(start, end, signal), channels, channel),
    envelope: async (start, end, width, signal) => {
      const envelope = await raw.envelope(start, end, width, signal);
      const source = envelope.channels[channel]!;
      const count = envelope.starts.length;
      const out = { first: new Float64Array(count), last: new Float64Array(count), min: new Float64Array(count), max: new Float64Array(count) };
      const turning: number[] = [];
      for (let column = 0; column < count; column += 1) {
        out.first[column] = calibrate(calibration, source.first[column]!);
        out.last[column] = calibrate(calibration, source.last[column]!);
        const lo = source.min[column]!;
        const hi = source.max[column]!;
        const direction = directionOver(calibration, lo, hi);
        if (direction === 'mixed') turning.push(column);
        const [a, b] = [calibrate(calibration, lo), calibrate(calibration, hi)];
        out.min[column] = direction === 'decreasing' ? b : a;
        out.max[column] = direction === 'decreasing' ? a : b;
      }
      await readTurningColumns(raw, envelope, turning, channels, spec, out, signal);
      const result: Envelope = { raw: envelope.raw, starts: envelope.starts, ends: envelope.ends, channels: [out] };
      return result;
    },
  };
}

/** Samples per read when columns are read from their raw samples: memory stays bounded whatever a column's size. */
const CHUNK = 1 << 18;

/**
 * The extremes of the columns holding a turning point, from their raw samples: neighbouring columns are read as one
 * stretch, chunk by chunk.
 */
async function readTurningColumns(
  raw: ArraySource,
  envelope: Envelope,
  columns: readonly number[],
  channels: number,
  spec: CalibratedSpec,
  out: { min: Float64Array; max: Float64Array },
  signal: AbortSignal | undefined,
): Promise<void> {
  for (let index = 0; index < columns.length; ) {
    let last = index;
    while (last + 1 < columns.length && columns[last + 1] === columns[last]! + 1 && envelope.starts[columns[last + 1]!] === envelope.ends[columns[last]!]) last += 1;
    for (let at = index; at <= last; at += 1) {
      out.min[columns[at]!] = NaN;
      out.max[columns[at]!] = NaN;
    }
    const to = envelope.ends[columns[last]!]!;
    let at = index;
    for (let from = envelope.starts[columns[index]!]!; from < to; from += CHUNK) {
      const end = Math.min(from + CHUNK, to);
      const values = calibrateChannel(spec.calibration, await raw.read(from, end, signal), channels, spec.channel);
      for (let row = 0; row < values.length; row += 1) {
        while (from + row >= envelope.ends[columns[at]!]!) at += 1;
        const column = columns[at]!;
        out.min[column] = nanMin(out.min[column]!, values[row]!);
        out.max[column] = nanMax(out.max[column]!, values[row]!);
      }
    }
    index = last + 1;
  }
}

import type { ArraySource } from '../statistics/array-source';
import type { DataArrayDocument } from '../../storage/arrays';
import { evaluateFormula, FormulaError, type FormulaNode } from './formula';
import { envelopeOfSamples } from './sample-envelope';

export interface DerivedSpec {
  name: string;
  units: string;
  node: FormulaNode;
  /** One single-channel source per signal name the formula reads. */
  inputs: Readonly<Record<string, ArraySource>>;
  /** The derived signal's id, kept as the document's `source`. */
  source?: string;
}

interface Axis {
  /** ms since 1970 of sample 0 (0 for inputs without a start time). */
  start: number;
  rate: number;
  count: number;
}

function axisOf(doc: DataArrayDocument): Axis {
  const start = doc.start_time !== undefined ? Date.parse(doc.start_time) : 0;
  return { start: Number.isFinite(start) ? start : 0, rate: doc.sampling_rate ?? 1, count: doc.shape[0] };
}

/**
 * A signal computed by a formula over other signals of the same experiment, read like an array and evaluated by range:
 * a read of [start, end) reads only the inputs' samples under it. When the inputs' rates or start times differ, they
 * are resampled (linear interpolation) onto a common axis: the highest rate, over the time all inputs cover. Its
 * envelopes are computed from its samples, chunk by chunk (a formula has no pyramid).
 */
export function derivedSource(spec: DerivedSpec): ArraySource {
  const entries = Object.entries(spec.inputs);
  if (entries.length === 0) {
    throw new FormulaError(`The formula of “${spec.name}” reads no signal: a derived signal needs at least one.`);
  }
  const axes = new Map(entries.map(([name, input]) => [name, axisOf(input.doc)]));
  const timed = entries.filter(([, input]) => input.doc.start_time !== undefined).length;
  if (timed !== 0 && timed !== entries.length) {
    throw new FormulaError(`The signals of “${spec.name}” do not all have a start time (${entries.filter(([, input]) => input.doc.start_time === undefined).map(([name]) => name).join(', ')} lack one): they cannot be put on one time axis.`);
  }
  const all = [...axes.values()];
  const rate = Math.max(...all.map((axis) => axis.rate));
  const start = Math.max(...all.map((axis) => axis.start));
  const end = Math.min(...all.map((axis) => axis.start + (axis.count / axis.rate) * 1000));
  const length = Math.max(0, Math.floor(((end - start) * rate) / 1000 + 1e-9));
  const first = entries[0]![1].doc;
  const doc: DataArrayDocument = {
    portal_type: 'Data Array',
    title: spec.name,
    reference: `derived-${spec.name}`,
    modification_date: first.modification_date,
    dtype: 'float64',
    shape: [length],
    sampling_rate: rate,
    ...(timed ? { start_time: new Date(start).toISOString() } : {}),
    units: { y: spec.units },
    channel_labels: [spec.name],
    pyramid: { base: first.pyramid.base, dtype: 'float64' },
    ...(spec.source !== undefined ? { source: spec.source } : {}),
  };

  const read = async (from: number, to: number, signal?: AbortSignal): Promise<Float64Array<ArrayBuffer>> => {
    const a = Math.max(0, Math.min(Math.floor(from), length));
    const b = Math.max(a, Math.min(Math.ceil(to), length));
    const count = b - a;
    const values = new Map<string, Float64Array>();
    await Promise.all(
      entries.map(async ([name, input]) => {
        values.set(name, await resample(input, axes.get(name)!, a, count, start, rate, signal));
      }),
    );
    return evaluateFormula(spec.node, values, count);
  };
  return { doc, read, envelope: (from, to, width) => envelopeOfSamples((s, e) => read(s, e), Math.max(0, from), Math.min(to, length), width) };
}

/** Position of common sample `k` in an input's samples; near-whole positions are snapped so equal axes copy exactly. */
function positionOf(axis: Axis, k: number, start: number, rate: number): number {
  const x = ((start - axis.start) * axis.rate) / 1000 + (k * axis.rate) / rate;
  const whole = Math.round(x);
  return Math.abs(x - whole) < 1e-9 ? whole : x;
}

/** `count` values of an input at common samples [a, a + count), interpolated linearly, held at its last sample. */
async function resample(input: ArraySource, axis: Axis, a: number, count: number, start: number, rate: number, signal: AbortSignal | undefined): Promise<Float64Array> {
  const out = new Float64Array(count);
  if (count === 0) return out;
  const last = axis.count - 1;
  const lo = Math.max(0, Math.min(last, Math.floor(positionOf(axis, a, start, rate))));
  const hi = Math.max(lo, Math.min(last, Math.ceil(positionOf(axis, a + count - 1, start, rate))));
  const raw = await input.read(lo, hi + 1, signal);
  for (let k = 0; k < count; k += 1) {
    const x = Math.max(0, Math.min(last, positionOf(axis, a + k, start, rate)));
    const below = Math.floor(x);
    const fraction = x - below;
    const y0 = raw[below - lo] as number;
    out[k] = fraction === 0 ? y0 : y0 + fraction * ((raw[below + 1 - lo] as number) - y0);
  }
  return out;
}

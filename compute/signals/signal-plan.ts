import type { Storage } from '../../storage';
import type { DataArrayDocument } from '../../storage/arrays';
import type { ArraySource } from '../statistics/array-source';
import { calibratedSource } from './calibrated-source';
import { derivedSource } from './derived-source';
import { experimentWindow, windowSource, type SampleWindow } from './window-source';
import { parseFormula } from './formula';
import { findSignal, getExperiment, resolveSignal } from './resolve-signal';
import { SignalResolveError } from './signal-resolve-error';
import type { SignalBinding, SignalDocument } from './signal-document';

interface PlanBase {
  signalId: string;
  name: string;
  /** The calibrated (or computed) values' unit. */
  units: string;
  experimentId: string;
  experimentName: string;
}

/** A signal bound to an array for the experiment: which array and channel, through which calibration. */
export interface BoundPlan extends PlanBase {
  kind: 'bound';
  binding: SignalBinding;
  arrayId: string;
  /** The raw array's document (metadata only). */
  array: DataArrayDocument;
  /** The array's samples in the experiment's time range, when it recorded more (see experimentWindow). */
  window?: SampleWindow;
}

/** A signal computed by its formula from the plans of the signals it reads. */
export interface DerivedPlan extends PlanBase {
  kind: 'derived';
  formula: string;
  inputs: Record<string, SignalPlan>;
}

/**
 * How to read a signal for an experiment: plain data (it crosses to the notebook kernel's worker), turned into a
 * source by `sourceOfPlan` wherever the raw arrays can be read.
 */
export type SignalPlan = BoundPlan | DerivedPlan;

/** The calibrated values' unit of a binding: its own, else the signal's. */
export function calibratedUnits(signal: SignalDocument, binding: SignalBinding): string {
  return binding.units.calibrated || signal.units;
}

/**
 * The plan of (signal name or id, experiment id): its binding (see resolveSignal) and the part of the array the
 * experiment's time range covers, or for a derived signal the plans of the signals its formula reads, for the same
 * experiment. A formula that reads itself, directly or not, is a 409.
 */
export async function planSignal(storage: Storage, name: string, experimentId: string, options: { signal?: AbortSignal } = {}, path: readonly string[] = []): Promise<SignalPlan> {
  const found = await findSignal(storage, name, options);
  const { id: signalId, doc } = found;
  if (path.includes(signalId)) {
    throw new SignalResolveError(409, `The formula of “${doc.name}” reads itself (through ${[...path, signalId].join(' → ')}): a derived signal cannot depend on itself.`, { signals: [...path, signalId] });
  }
  if (doc.formula === undefined) {
    const resolved = await resolveSignal(storage, found, experimentId, options);
    const window = experimentWindow(resolved.experiment, resolved.array);
    return {
      kind: 'bound',
      signalId,
      name: doc.name,
      units: calibratedUnits(doc, resolved.binding),
      experimentId,
      experimentName: resolved.experiment.name,
      binding: resolved.binding,
      arrayId: resolved.arrayId,
      array: resolved.array,
      ...(window ? { window } : {}),
    };
  }
  const { inputs } = parseFormula(doc.formula);
  const [experiment, plans] = await Promise.all([
    getExperiment(storage, experimentId, options),
    Promise.all(inputs.map((input) => planSignal(storage, input, experimentId, options, [...path, signalId]))),
  ]);
  return { kind: 'derived', signalId, name: doc.name, units: doc.units, experimentId, experimentName: experiment.name, formula: doc.formula, inputs: Object.fromEntries(inputs.map((input, index) => [input, plans[index]!])) };
}

/** The source reading a plan, with `rawOf` reading a raw array (from a storage, or through the kernel's keys). */
export function sourceOfPlan(plan: SignalPlan, rawOf: (arrayId: string, doc: DataArrayDocument) => ArraySource): ArraySource {
  if (plan.kind === 'bound') {
    const raw = rawOf(plan.arrayId, plan.array);
    return calibratedSource(plan.window ? windowSource(raw, plan.window) : raw, { name: plan.name, channel: plan.binding.channel, calibration: plan.binding.calibration, units: plan.units, source: plan.signalId });
  }
  const inputs = Object.fromEntries(Object.entries(plan.inputs).map(([name, input]) => [name, sourceOfPlan(input, rawOf)]));
  return derivedSource({ name: plan.name, units: plan.units, node: parseFormula(plan.formula).node, inputs, source: plan.signalId });
}

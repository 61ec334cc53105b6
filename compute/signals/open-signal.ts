import type { Storage } from '../../storage';
import { storageArraySource, type ArraySource } from '../statistics/array-source';
import { calibratedSource } from './calibrated-source';
import { resolveSignal, type ResolvedSignal } from './resolve-signal';
import type { SignalBinding, SignalDocument } from './signal-document';

/** A signal resolved for an experiment and readable like an array (graph, statistics, spectrum). */
export interface OpenSignal {
  resolved: ResolvedSignal;
  source: ArraySource;
}

/** The calibrated values' unit of a binding: its own, else the signal's. */
export function calibratedUnits(signal: SignalDocument, binding: SignalBinding): string {
  return binding.units.calibrated || signal.units;
}

/** The calibrated source of a resolved signal over its array in `storage`. */
export function sourceOf(storage: Storage, resolved: ResolvedSignal): ArraySource {
  const { signal, binding, arrayId, array, signalId } = resolved;
  return calibratedSource(storageArraySource(storage, arrayId, array), { name: signal.name, channel: binding.channel, calibration: binding.calibration, units: calibratedUnits(signal, binding), source: signalId });
}

/** Resolves (signal name or id, experiment id) and opens it (see resolveSignal for the errors). */
export async function openSignal(storage: Storage, name: string, experimentId: string, options: { signal?: AbortSignal } = {}): Promise<OpenSignal> {
  const resolved = await resolveSignal(storage, name, experimentId, options);
  return { resolved, source: sourceOf(storage, resolved) };
}

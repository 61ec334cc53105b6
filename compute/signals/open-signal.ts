import type { Storage } from '../../storage';
import { storageArraySource, type ArraySource } from '../statistics/array-source';
import { planSignal, sourceOfPlan, type SignalPlan } from './signal-plan';

/** A signal planned for an experiment and readable like an array (graph, statistics, spectrum). */
export interface OpenSignal {
  plan: SignalPlan;
  source: ArraySource;
}

/** Plans (signal name or id, experiment id) and opens it over the arrays in `storage` (see planSignal for the errors). */
export async function openSignal(storage: Storage, name: string, experimentId: string, options: { signal?: AbortSignal } = {}): Promise<OpenSignal> {
  const plan = await planSignal(storage, name, experimentId, options);
  return { plan, source: sourceOfPlan(plan, (arrayId, doc) => storageArraySource(storage, arrayId, doc)) };
}

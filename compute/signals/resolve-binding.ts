import { experimentRange, type ExperimentDocument } from './experiment-document';
import { SignalResolveError } from './signal-resolve-error';
import { isCurrent, type SignalBinding, type SignalDocument } from './signal-document';

/** What resolving needs of a Data Array: its id, reference, and the time its samples cover (ms, [start, end)), if known. */
export interface ArrayRef {
  id: string;
  reference: string;
  title: string;
  start?: number;
  end?: number;
}

export interface Resolution {
  binding: SignalBinding;
  arrayId: string;
}

/** An experiment as resolving sees it: its id and document. */
export interface ExperimentRef {
  id: string;
  doc: ExperimentDocument;
}

/** Half-open ranges [a0, a1) and [b0, b1) share some time. */
function overlaps(a0: number, a1: number, b0: number, b1: number): boolean {
  return a0 < b1 && b0 < a1;
}

/**
 * Whether a binding holds for an experiment: the experiment is listed, or its time range overlaps the binding's
 * [from, to) (an experiment without a time range matches listed bindings only).
 */
export function bindingHolds(binding: SignalBinding, experiment: ExperimentRef): boolean {
  if ('experiments' in binding.valid) return binding.valid.experiments.includes(experiment.id);
  const range = experimentRange(experiment.doc);
  if (!range) return false;
  const to = binding.valid.to === undefined ? Infinity : Date.parse(binding.valid.to);
  return overlaps(range.start, range.end, Date.parse(binding.valid.from), to);
}

/**
 * The arrays of an experiment: those linked to it by hand, and those whose samples' time overlaps its range, in that
 * order, each once.
 */
export function experimentArrays(experiment: ExperimentRef, arrays: readonly ArrayRef[]): ArrayRef[] {
  const range = experimentRange(experiment.doc);
  const linked = new Set(experiment.doc.arrays);
  const byLink = arrays.filter((array) => linked.has(array.id));
  const byTime = range
    ? arrays.filter((array) => !linked.has(array.id) && array.start !== undefined && array.end !== undefined && overlaps(range.start, range.end, array.start, Math.max(array.end, array.start + 1)))
    : [];
  return [...byLink, ...byTime];
}

/** "b2 (array a1 channel 0, for experiments e1, e2)": how an error names a binding. */
export function describeBinding(binding: SignalBinding, names: ReadonlyMap<string, string> = new Map()): string {
  const array = 'id' in binding.array ? `array ${binding.array.id}` : `the array with reference “${binding.array.reference}”`;
  const named = (id: string) => (names.has(id) ? `${names.get(id)} (${id})` : id);
  const valid = 'experiments' in binding.valid ? `for experiments ${binding.valid.experiments.map(named).join(', ') || 'none'}` : `from ${binding.valid.from}${binding.valid.to ? ` to ${binding.valid.to}` : ' on'}`;
  return `${binding.id} (${array} channel ${binding.channel}, ${valid})`;
}

/**
 * The one binding of `signal` that holds for `experiment` now (replaced bindings never do), and the array it reads:
 * its own array, or the experiment's array with its reference (see `experimentArrays`). Throws SignalResolveError:
 * 404 when no binding holds (saying which experiments and times have bindings) or the experiment has no such array;
 * 409 when two bindings hold (naming both) or two of its arrays have the reference. `names` gives experiments' names
 * for messages.
 */
export function resolveBinding(signal: SignalDocument, experiment: ExperimentRef, arrays: readonly ArrayRef[], names: ReadonlyMap<string, string> = new Map()): Resolution {
  const experimentName = `“${experiment.doc.name}” (${experiment.id})`;
  const current = signal.bindings.filter(isCurrent);
  const holding = current.filter((binding) => bindingHolds(binding, experiment));
  if (holding.length === 0) {
    const known = current.length === 0 ? 'it has no binding yet' : `its bindings are ${current.map((binding) => describeBinding(binding, names)).join('; ')}`;
    throw new SignalResolveError(404, `Signal “${signal.name}” has no binding for experiment ${experimentName}: ${known}. Add a binding for this experiment on the signal's page.`, {
      signal: signal.name,
      experiment: experiment.id,
      bindings: current.map((binding) => binding.id),
    });
  }
  if (holding.length > 1) {
    const [first, second] = holding as [SignalBinding, SignalBinding];
    throw new SignalResolveError(
      409,
      `Signal “${signal.name}” has two bindings for experiment ${experimentName}: ${describeBinding(first, names)} and ${describeBinding(second, names)}. Edit one so that they do not overlap.`,
      { signal: signal.name, experiment: experiment.id, bindings: holding.map((binding) => binding.id) },
    );
  }
  const binding = holding[0]!;
  if ('id' in binding.array) return { binding, arrayId: binding.array.id };
  const { reference } = binding.array;
  const own = experimentArrays(experiment, arrays);
  const matching = own.filter((array) => array.reference === reference);
  if (matching.length === 0) {
    const listed = own.length === 0 ? 'it has no arrays (none linked, none recorded in its time range)' : `its arrays are ${own.map((array) => `“${array.reference}”`).join(', ')}`;
    throw new SignalResolveError(404, `Signal “${signal.name}” reads the array with reference “${reference}” (binding ${binding.id}), but experiment ${experimentName} has none: ${listed}. Link the array to the experiment, or rewire the binding.`, {
      signal: signal.name,
      experiment: experiment.id,
      binding: binding.id,
      reference,
    });
  }
  if (matching.length > 1) {
    throw new SignalResolveError(409, `Experiment ${experimentName} has ${matching.length} arrays with reference “${reference}” (${matching.map((array) => array.id).join(', ')}): signal “${signal.name}” cannot tell which it reads. Bind one array by its id.`, {
      signal: signal.name,
      experiment: experiment.id,
      arrays: matching.map((array) => array.id),
    });
  }
  return { binding, arrayId: matching[0]!.id };
}

import { canonicalJson } from '../../storage/replicate/hash';
import type { Doc } from '../../storage';
import { isStorageError } from '../../storage/storage-error';
import { checkSignal, type SignalBinding } from './signal-document';

const same = (a: unknown, b: unknown) => canonicalJson(a ?? null) === canonicalJson(b ?? null);
const CONFLICT = Symbol('conflict');

/**
 * A Signal edited on two devices while apart, merged from the version both had (`base`), so a recalibration never
 * waits on the Conflicts page: fields changed on one side come from that side; bindings added on either side are all
 * kept (one added on each side under the same id gets a fresh id on the remote side, its `replaced_by` links
 * following); a binding ended on one side is ended, and ended on both it ends at the earlier time. Two recalibrations
 * of the same binding thus both stay, and resolving then names the two that overlap, for the user to end one.
 * Undefined (a conflict, listed as usual) when a field was changed differently on both sides, or for other types.
 */
export function mergeSignalVersions(base: Doc, local: Doc, remote: Doc): Doc | undefined {
  if (local['portal_type'] !== 'Signal' || remote['portal_type'] !== 'Signal') return undefined;
  const bindings = (doc: Doc, id: string): SignalBinding[] | undefined => {
    try {
      return checkSignal(doc, id).bindings;
    } catch (error) {
      if (isStorageError(error, 400)) return undefined;
      throw error;
    }
  };
  const [baseBindings, localBindings, remoteBindings] = [bindings(base, 'base') ?? [], bindings(local, 'local'), bindings(remote, 'remote')];
  if (!localBindings || !remoteBindings) return undefined; // an unusable side: let the user choose
  const merged: Doc = {};
  for (const key of new Set([...Object.keys(local), ...Object.keys(remote)])) {
    if (key === 'bindings' || key === 'modification_date') continue;
    const value = same(local[key], remote[key]) ? local[key] : same(base[key], local[key]) ? remote[key] : same(base[key], remote[key]) ? local[key] : CONFLICT;
    if (value === CONFLICT) return undefined;
    if (value !== undefined) merged[key] = value;
  }
  const dates = [local['modification_date'], remote['modification_date']].filter((date): date is string => typeof date === 'string').sort();
  if (dates.length > 0) merged['modification_date'] = dates.at(-1);
  merged['bindings'] = mergeBindings(baseBindings, localBindings, remoteBindings);
  return merged;
}

function mergeBindings(base: SignalBinding[], local: SignalBinding[], remote: SignalBinding[]): SignalBinding[] {
  const before = new Map(base.map((binding) => [binding.id, binding]));
  const out = new Map(local.map((binding) => [binding.id, binding]));
  const taken = new Set([...local, ...remote].map((binding) => binding.id));
  // Remote bindings added under an id the local side also added (differently) get a fresh id.
  const renamed = new Map<string, string>();
  for (const binding of remote) {
    const mine = out.get(binding.id);
    if (!mine || before.has(binding.id) || same(mine, binding)) continue;
    let number = taken.size + 1;
    while (taken.has(`b${number}`)) number += 1;
    taken.add(`b${number}`);
    renamed.set(binding.id, `b${number}`);
  }
  for (const original of remote) {
    const binding = { ...original, id: renamed.get(original.id) ?? original.id, ...(original.replaced_by ? { replaced_by: renamed.get(original.replaced_by) ?? original.replaced_by } : {}) };
    const mine = out.get(binding.id);
    if (!mine || same(mine, binding)) {
      out.set(binding.id, binding);
      continue;
    }
    const was = before.get(binding.id);
    if (was && same(was, mine)) out.set(binding.id, binding); // changed (ended) on the remote side only
    else if (was && !same(was, binding)) {
      // Ended on both sides: at the earlier time, replaced by the binding that ended it first.
      const first = (binding.until ?? '') < (mine.until ?? '') ? binding : mine;
      out.set(binding.id, first);
    }
  }
  return [...out.values()];
}

import { isStorageError, type Storage } from '../../storage';

/** The IndexedDB database of the app's chain: its checkpoint and these settings (never synced). */
export const CHAIN_STATE_NAME = 'fieldscope-chain';
const SETTINGS = 'chain-settings';

/** How this device's chain behaves; set on the Settings page. */
export interface ChainSettings {
  /** Leave heavy steps (decode, spectrum) to the server workers when the synced server has them. Default false. */
  leaveHeavyToServer: boolean;
  /** This device's id in step claims and records (made once). */
  device: string;
}

/** The settings, made with their defaults (and a new device id) the first time. */
export async function readChainSettings(state: Storage): Promise<ChainSettings> {
  try {
    const doc = await state.get(SETTINGS);
    if (typeof doc['device'] === 'string') return { leaveHeavyToServer: doc['leaveHeavyToServer'] === true, device: doc['device'] };
  } catch (error) {
    if (!isStorageError(error, 404)) throw error;
  }
  const made = { leaveHeavyToServer: false, device: `device-${crypto.randomUUID().slice(0, 8)}` };
  // Whoever makes them first wins (the page and the chain's worker may both ask at start).
  const stored = await state.update(SETTINGS, (current) => (current && typeof current['device'] === 'string' ? undefined : { ...made }));
  return { leaveHeavyToServer: stored?.['leaveHeavyToServer'] === true, device: String(stored?.['device'] ?? made.device) };
}

/** Changes whether heavy steps are left to the server; the chain reads it before each heavy step. */
export async function setLeaveHeavyToServer(state: Storage, leave: boolean): Promise<void> {
  const { device } = await readChainSettings(state);
  await state.update(SETTINGS, (current) => ({ ...current, device: String(current?.['device'] ?? device), leaveHeavyToServer: leave }));
}

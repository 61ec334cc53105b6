import type { Gadget } from '../core';
import { messageOf } from './error-report';
import { navigateKey, notifyKey, storageKey } from './keys';

/**
 * Asks the user to confirm, deletes the document, says so and goes to `afterHash` (the module's list).
 * Resolves to whether it was deleted; a failure is told to the user, never thrown.
 */
export async function confirmAndDelete(gadget: Gadget, id: string, description: string, afterHash: string): Promise<boolean> {
  if (!confirm(`Delete ${description}? This cannot be undone.`)) return false;
  try {
    const storage = await gadget.acquire(storageKey);
    await storage.remove(id);
  } catch (error) {
    void gadget.acquire(notifyKey, `Could not delete ${description}: ${messageOf(error)}`, 'error');
    return false;
  }
  void gadget.acquire(notifyKey, `Deleted ${description}.`);
  void gadget.acquire(navigateKey, afterHash);
  return true;
}

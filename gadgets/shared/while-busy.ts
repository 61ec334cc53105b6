import type { Gadget } from '../core';
import { notifyKey } from './keys';
import { messageOf } from './error-report';

/**
 * Runs a page action with `label` shown as the page's busy state (`show`), cleared at the end; a failure is told to the
 * user as "`failure`: <why>", never thrown. `action` may update the label (progress) through `show`.
 */
export async function whileBusy(gadget: Gadget, show: (label: string | undefined) => void, label: string, failure: string, action: () => Promise<unknown>): Promise<void> {
  show(label);
  try {
    await action();
  } catch (error) {
    void gadget.acquire(notifyKey, `${failure}: ${messageOf(error)}`, 'error');
  } finally {
    show(undefined);
  }
}

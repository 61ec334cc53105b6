import { describe, expect, it } from 'vitest';
import { firstValueFrom, filter, timeout } from 'rxjs';
import { createLocalStorage } from '../local-storage';
import { SyncManager, type SyncState } from './sync-manager';

// Two managers on the same device databases stand for two tabs: Web Locks and IndexedDB are shared the same way.
describe('sync in two tabs of one device', () => {
  it('one tab runs the sync, the other says so and takes over when the first stops', async () => {
    const name = `sync-tabs-${Date.now()}`;
    const first = new SyncManager(createLocalStorage(name), { stateName: `${name}-sync`, pollMs: 60_000 });
    const second = new SyncManager(createLocalStorage(name), { stateName: `${name}-sync`, pollMs: 60_000 });
    // A remote nobody answers on (loopback, closed port): the running tab keeps trying; what matters is who tries.
    await first.addRemote({ url: 'http://127.0.0.1:9/fieldscope', title: 'closed port' });
    const state = (manager: SyncManager, wanted: SyncState) =>
      firstValueFrom(manager.status.pipe(filter((status) => status.state === wanted), timeout(10_000)));

    const stopFirst = new AbortController();
    const stopSecond = new AbortController();
    const firstRun = first.run(stopFirst.signal);
    await state(first, 'error'); // it ran a round (which failed: nobody answers)
    const secondRun = second.run(stopSecond.signal);
    const waiting = await state(second, 'elsewhere');
    expect(waiting.message).toContain('Another Fieldscope tab on this device is syncing');
    expect(first.status.value.state).not.toBe('elsewhere');

    stopFirst.abort();
    await firstRun;
    await state(second, 'error'); // took over: its own round ran
    stopSecond.abort();
    await secondRun;
  });
});

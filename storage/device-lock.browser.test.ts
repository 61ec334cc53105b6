import { describe, expect, it } from 'vitest';
import { whileHoldingLock } from './device-lock';

// Web Locks are shared by every tab and worker of the origin, and by two callers in one page the same way.
describe('whileHoldingLock (Web Locks, real Chromium)', () => {
  it('runs one holder at a time, tells the one that waits, and hands over when the holder ends', async () => {
    const name = `lock-test-${Date.now()}`;
    const events: string[] = [];
    let releaseFirst!: () => void;
    const firstHolds = new Promise<void>((resolve) => (releaseFirst = resolve));
    let started!: () => void;
    const firstStarted = new Promise<void>((resolve) => (started = resolve));
    const first = whileHoldingLock(name, async () => {
      events.push('first starts');
      started();
      await firstHolds;
      events.push('first ends');
    });
    await firstStarted;
    const second = whileHoldingLock(
      name,
      async () => {
        events.push('second starts');
        return 'second done';
      },
      { onWaiting: () => events.push('second waits') },
    );
    await new Promise((resolve) => setTimeout(resolve, 20)); // room for a wrong second start to show (not a timing assertion)
    expect(events).toEqual(['first starts', 'second waits']);
    releaseFirst();
    expect(await second).toBe('second done');
    await first;
    expect(events).toEqual(['first starts', 'second waits', 'first ends', 'second starts']);
  });

  it('stops waiting when its signal aborts, and is not told to wait when the lock is free', async () => {
    const name = `lock-test-abort-${Date.now()}`;
    let release!: () => void;
    let started!: () => void;
    const holds = new Promise<void>((resolve) => (started = resolve));
    const holding = whileHoldingLock(name, () => new Promise<void>((resolve) => ((release = resolve), started())));
    await holds;
    const controller = new AbortController();
    const waiting = whileHoldingLock(name, async () => 'ran', { signal: controller.signal });
    controller.abort();
    await expect(waiting).rejects.toMatchObject({ name: 'AbortError' });
    release();
    await holding;
    let told = false;
    expect(await whileHoldingLock(name, async () => 'free', { onWaiting: () => (told = true) })).toBe('free');
    expect(told).toBe(false);
  });
});

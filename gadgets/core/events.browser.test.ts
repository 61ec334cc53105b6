import { afterEach, describe, expect, it, vi } from 'vitest';
import { Gadget, Mutex, nextFrame, reportServiceErrorKey, sleep } from './index';
import { define, deferred, tick, until } from './test-helpers';

const roots: Element[] = [];
function mount<T extends Element>(element: T): T {
  document.body.append(element);
  roots.push(element);
  return element;
}
afterEach(() => {
  for (const root of roots.splice(0)) root.remove();
  vi.restoreAllMocks();
});

describe('onEvent', () => {
  class Clicky extends Gadget {
    runs: { detail: unknown; signal: AbortSignal; done: boolean }[] = [];
    gates: ReturnType<typeof deferred<void>>[] = [];
    windowEvents = 0;
    constructor() {
      super();
      this.onEvent<CustomEvent>('ping', async (signal, event) => {
        const run = { detail: event.detail, signal, done: false };
        this.runs.push(run);
        const gate = deferred();
        this.gates.push(gate);
        await gate.promise;
        run.done = true;
      });
      this.onEvent('submit', () => {}, { preventDefault: true });
      this.onEvent('fs-test-window', () => void this.windowEvents++, { target: () => window });
    }
  }
  const clickyTag = define(Clicky);

  it('a new event aborts the previous handler run', async () => {
    const gadget = mount(document.createElement(clickyTag) as Clicky);
    gadget.dispatchEvent(new CustomEvent('ping', { detail: 1 }));
    gadget.dispatchEvent(new CustomEvent('ping', { detail: 2 }));
    expect(gadget.runs.map((run) => run.detail)).toEqual([1, 2]);
    expect(gadget.runs[0]!.signal.aborted).toBe(true);
    expect(gadget.runs[1]!.signal.aborted).toBe(false);
  });

  it('listeners are removed on detach (and the running handler aborted), added again on re-attach', async () => {
    const gadget = mount(document.createElement(clickyTag) as Clicky);
    gadget.dispatchEvent(new CustomEvent('ping', { detail: 'a' }));
    window.dispatchEvent(new Event('fs-test-window'));
    expect(gadget.windowEvents).toBe(1);
    gadget.remove();
    expect(gadget.runs[0]!.signal.aborted).toBe(true);
    gadget.dispatchEvent(new CustomEvent('ping', { detail: 'b' }));
    window.dispatchEvent(new Event('fs-test-window'));
    expect(gadget.runs).toHaveLength(1);
    expect(gadget.windowEvents).toBe(1);
    document.body.append(gadget);
    gadget.dispatchEvent(new CustomEvent('ping', { detail: 'c' }));
    window.dispatchEvent(new Event('fs-test-window'));
    expect(gadget.runs.map((run) => run.detail)).toEqual(['a', 'c']);
    expect(gadget.windowEvents).toBe(2);
    gadget.remove();
  });

  it('can prevent the default action', () => {
    const gadget = mount(document.createElement(clickyTag) as Clicky);
    const event = new Event('submit', { cancelable: true });
    gadget.dispatchEvent(event);
    expect(event.defaultPrevented).toBe(true);
  });

  it('reports a failing handler upward, not an aborted one', async () => {
    class Sink extends Gadget {
      reported: unknown[] = [];
      constructor() {
        super();
        this.provide(reportServiceErrorKey, (_request, error) => void this.reported.push(error));
      }
    }
    class Failing extends Gadget {
      constructor() {
        super();
        this.onEvent<CustomEvent<boolean>>('go', async (signal, event) => {
          if (event.detail) throw new Error('handler failed');
          await sleep(10_000, signal);
        });
      }
    }
    const sink = mount(document.createElement(define(Sink)) as Sink);
    const gadget = document.createElement(define(Failing));
    sink.append(gadget);
    gadget.dispatchEvent(new CustomEvent('go', { detail: false }));
    gadget.dispatchEvent(new CustomEvent('go', { detail: true })); // aborts the sleeping run: not an error
    await until(() => sink.reported.length > 0);
    await tick();
    expect(sink.reported.map((error) => (error as Error).message)).toEqual(['handler failed']);
  });
});

describe('onLoop', () => {
  it('repeats with a delay and an animation frame while attached, stops on detach, resumes on re-attach', async () => {
    const frame = vi.spyOn(window, 'requestAnimationFrame');
    class Looper extends Gadget {
      iterations = 0;
      signals: AbortSignal[] = [];
      constructor() {
        super();
        this.onLoop((signal) => {
          this.iterations++;
          if (!this.signals.includes(signal)) this.signals.push(signal);
        }, 5);
      }
    }
    const gadget = mount(document.createElement(define(Looper)) as Looper);
    await until(() => gadget.iterations >= 3);
    // Each iteration waited for an animation frame first.
    expect(frame.mock.calls.length).toBeGreaterThanOrEqual(3);
    gadget.remove();
    expect(gadget.signals[0]!.aborted).toBe(true);
    const stopped = gadget.iterations;
    await sleep(60);
    expect(gadget.iterations).toBe(stopped);
    document.body.append(gadget);
    await until(() => gadget.iterations > stopped);
    expect(gadget.signals).toHaveLength(2);
    gadget.remove();
  });
});

describe('mutex', () => {
  class Locked extends Gadget {
    log: string[] = [];
    gates = new Map<string, ReturnType<typeof deferred<void>>>();
    readonly step = this.mutex(async (signal, name: string) => {
      this.log.push(`start ${name}`);
      const gate = deferred();
      this.gates.set(name, gate);
      signal.addEventListener('abort', () => gate.reject(signal.reason));
      await gate.promise;
      this.log.push(`end ${name}`);
      return name;
    });
  }
  const lockedTag = define(Locked);

  it('runs calls one at a time, in call order', async () => {
    const gadget = document.createElement(lockedTag) as Locked;
    const a = gadget.step('a');
    const b = gadget.step('b');
    const c = gadget.step('c');
    await tick();
    expect(gadget.log).toEqual(['start a']);
    gadget.gates.get('a')!.resolve();
    await until(() => gadget.gates.has('b'));
    expect(gadget.log).toEqual(['start a', 'end a', 'start b']);
    gadget.gates.get('b')!.resolve();
    await until(() => gadget.gates.has('c'));
    gadget.gates.get('c')!.resolve();
    await expect(Promise.all([a, b, c])).resolves.toEqual(['a', 'b', 'c']);
    expect(gadget.log).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
  });

  it('cancelling a call does not cancel earlier ones; a cancelled waiting call never runs; order is kept', async () => {
    const gadget = document.createElement(lockedTag) as Locked;
    const a = gadget.step('a');
    const controller = new AbortController();
    const b = gadget.step.withSignal(controller.signal, 'b');
    const c = gadget.step('c');
    await tick();
    controller.abort();
    await expect(b).rejects.toMatchObject({ name: 'AbortError' });
    await tick();
    expect(gadget.log).toEqual(['start a']); // a still runs, c still waits for a
    gadget.gates.get('a')!.resolve();
    await expect(a).resolves.toBe('a');
    await until(() => gadget.gates.has('c'));
    gadget.gates.get('c')!.resolve();
    await expect(c).resolves.toBe('c');
    expect(gadget.log).toEqual(['start a', 'end a', 'start c', 'end c']);
  });

  it('one Mutex can serialise several methods', async () => {
    const shared = new Mutex();
    const order: string[] = [];
    const gate = deferred();
    const first = shared.lock(async () => {
      await gate.promise;
      order.push('first');
    });
    const second = shared.lock(() => void order.push('second'));
    await tick();
    expect(order).toEqual([]);
    gate.resolve();
    await Promise.all([first, second]);
    expect(order).toEqual(['first', 'second']);
  });
});

describe('cancellation reaches timers, frames and fetches', () => {
  it('sleep clears its timer and rejects when aborted', async () => {
    const clear = vi.spyOn(window, 'clearTimeout');
    const controller = new AbortController();
    const slept = sleep(10_000, controller.signal);
    controller.abort();
    await expect(slept).rejects.toMatchObject({ name: 'AbortError' });
    expect(clear).toHaveBeenCalledTimes(1);
  });

  it('nextFrame cancels its animation frame when aborted', async () => {
    const cancel = vi.spyOn(window, 'cancelAnimationFrame');
    const controller = new AbortController();
    const frame = nextFrame(controller.signal);
    controller.abort();
    await expect(frame).rejects.toMatchObject({ name: 'AbortError' });
    expect(cancel).toHaveBeenCalledTimes(1);
    await expect(nextFrame()).resolves.toBeTypeOf('number');
  });

  async function status(id: string): Promise<{ opened: boolean; closed: boolean }> {
    return (await fetch(`/__gadget-test/status?id=${id}`)).json() as Promise<{ opened: boolean; closed: boolean }>;
  }

  class Fetcher extends Gadget {
    readonly load = this.job(async (signal, id: string) => {
      const response = await fetch(`/__gadget-test/hang?id=${id}`, { signal, cache: 'no-store' });
      return response.text(); // the body never ends: only an abort settles this
    });
  }
  const fetcherTag = define(Fetcher);

  it('a superseded job aborts its in-flight fetch (the server sees the request closed)', async () => {
    const gadget = mount(document.createElement(fetcherTag) as Fetcher);
    const id = `job-${Math.random()}`;
    const first = gadget.load(id);
    await untilAsync(async () => (await status(id)).opened);
    expect((await status(id)).closed).toBe(false);
    void gadget.load(`other-${id}`);
    await expect(first).rejects.toMatchObject({ name: 'AbortError' });
    await untilAsync(async () => (await status(id)).closed);
    gadget.remove();
    await untilAsync(async () => (await status(`other-${id}`)).closed); // detach aborts the second one
  });
});

async function untilAsync(predicate: () => Promise<boolean>, timeout = 10_000): Promise<void> {
  const end = Date.now() + timeout;
  while (!(await predicate())) {
    if (Date.now() > end) throw new Error('condition not reached in time');
    await sleep(20);
  }
}

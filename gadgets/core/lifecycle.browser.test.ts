import { afterEach, describe, expect, it } from 'vitest';
import { Gadget, reportServiceErrorKey } from './index';
import { define, deferred, tick, until } from './test-helpers';

const roots: Element[] = [];
function mount<T extends Element>(element: T): T {
  document.body.append(element);
  roots.push(element);
  return element;
}
afterEach(() => {
  for (const root of roots.splice(0)) root.remove();
});

/** Collects what its descendants report through reportServiceError. */
class ErrorSink extends Gadget {
  reported: unknown[] = [];
  scopes: (string | null)[] = [];
  constructor() {
    super();
    this.provide(reportServiceErrorKey, ({ scope }, error) => {
      this.reported.push(error);
      this.scopes.push(scope);
    });
  }
}
const sinkTag = define(ErrorSink);

describe('services', () => {
  class Serviced extends Gadget {
    starts = 0;
    signals: AbortSignal[] = [];
    constructor() {
      super();
      this.service(async (signal) => {
        this.starts++;
        this.signals.push(signal);
        await new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
      });
    }
  }
  const servicedTag = define(Serviced);

  it('start on attach, are aborted on detach and start again on re-attach', async () => {
    const gadget = document.createElement(servicedTag) as Serviced;
    expect(gadget.starts).toBe(0); // not before attach
    mount(gadget);
    expect(gadget.starts).toBe(1);
    expect(gadget.signals[0]!.aborted).toBe(false);
    gadget.remove();
    expect(gadget.signals[0]!.aborted).toBe(true);
    expect(gadget.starts).toBe(1);
    document.body.append(gadget);
    expect(gadget.starts).toBe(2);
    expect(gadget.signals[1]!.aborted).toBe(false);
    gadget.remove();
    expect(gadget.signals[1]!.aborted).toBe(true);
  });

  it('an error cancels the other services and is reported upward with the scope', async () => {
    const fail = deferred();
    class TwoServices extends Gadget {
      otherSignal: AbortSignal | undefined;
      constructor() {
        super();
        this.service(async (signal) => {
          this.otherSignal = signal;
          await new Promise(() => {});
        });
        this.service(async () => {
          await fail.promise;
          throw new TypeError('sensor unplugged');
        });
      }
    }
    const sink = mount(document.createElement(sinkTag) as ErrorSink);
    const gadget = document.createElement(define(TwoServices)) as TwoServices;
    gadget.setAttribute('data-gadget-scope', 'sensor');
    sink.append(gadget);
    expect(gadget.otherSignal!.aborted).toBe(false);
    fail.reject(new TypeError('sensor unplugged'));
    await until(() => sink.reported.length > 0);
    expect(sink.reported[0]).toBeInstanceOf(TypeError);
    expect((sink.reported[0] as Error).message).toBe('sensor unplugged');
    expect(sink.scopes[0]).toBe('sensor');
    expect(gadget.otherSignal!.aborted).toBe(true);
  });

  it('cancellation is not reported as an error', async () => {
    const sink = mount(document.createElement(sinkTag) as ErrorSink);
    const gadget = document.createElement(servicedTag) as Serviced;
    sink.append(gadget);
    gadget.remove();
    await tick();
    await tick();
    expect(sink.reported).toEqual([]);
  });
});

describe('jobs', () => {
  class Jobbed extends Gadget {
    runs: { args: number; signal: AbortSignal; finish: (value: number) => void }[] = [];
    applied: number[] = [];
    readonly compute = this.job(
      (signal, value: number) =>
        new Promise<number>((resolve) => {
          // Ignores the signal on purpose: the runtime must still keep a superseded result out.
          this.runs.push({ args: value, signal, finish: resolve });
        }),
      (result) => this.applied.push(result),
    );
  }
  const jobTag = define(Jobbed);

  it('a new call aborts the previous run, whose result is never applied', async () => {
    const gadget = mount(document.createElement(jobTag) as Jobbed);
    const first = gadget.compute(1);
    const second = gadget.compute(2);
    expect(gadget.runs).toHaveLength(2);
    expect(gadget.runs[0]!.signal.aborted).toBe(true);
    expect(gadget.runs[1]!.signal.aborted).toBe(false);
    gadget.runs[1]!.finish(20);
    gadget.runs[0]!.finish(10); // late result of the superseded run
    await expect(second).resolves.toBe(20);
    await expect(first).rejects.toMatchObject({ name: 'AbortError' });
    expect(gadget.applied).toEqual([20]);
  });

  it('calls made before attach are queued (the last one runs on attach)', async () => {
    const gadget = document.createElement(jobTag) as Jobbed;
    const early = gadget.compute(1);
    const later = gadget.compute(2);
    await expect(early).rejects.toMatchObject({ name: 'AbortError' });
    expect(gadget.runs).toHaveLength(0);
    mount(gadget);
    expect(gadget.runs.map((run) => run.args)).toEqual([2]);
    gadget.runs[0]!.finish(5);
    await expect(later).resolves.toBe(5);
    expect(gadget.applied).toEqual([5]);
  });

  it('detach aborts the running job, which is not restarted on re-attach', async () => {
    const gadget = mount(document.createElement(jobTag) as Jobbed);
    const call = gadget.compute(7);
    gadget.remove();
    expect(gadget.runs[0]!.signal.aborted).toBe(true);
    gadget.runs[0]!.finish(70);
    await expect(call).rejects.toMatchObject({ name: 'AbortError' });
    document.body.append(gadget);
    await tick();
    expect(gadget.runs).toHaveLength(1);
    expect(gadget.applied).toEqual([]);
  });

  it('a failing job rejects its caller and is reported upward', async () => {
    class Failing extends Gadget {
      readonly run = this.job(async () => {
        throw new Error('job broke');
      });
    }
    const sink = mount(document.createElement(sinkTag) as ErrorSink);
    const gadget = document.createElement(define(Failing)) as Failing;
    sink.append(gadget);
    await expect(gadget.run()).rejects.toThrow('job broke');
    await until(() => sink.reported.length > 0);
    expect((sink.reported[0] as Error).message).toBe('job broke');
  });
});

describe('state', () => {
  interface Counter {
    count: number;
    label: string;
    extra?: string;
  }
  class Stateful extends Gadget<Counter> {
    changes: Partial<Counter>[] = [];
    failNext = false;
    gate: Promise<void> | undefined;
    active = 0;
    maxActive = 0;
    constructor() {
      super();
      this.state = { count: 0, label: 'a' };
    }
    protected override async onStateChange(changed: Partial<Counter>): Promise<void> {
      this.active++;
      this.maxActive = Math.max(this.maxActive, this.active);
      try {
        if (this.gate) await this.gate;
        this.changes.push({ ...changed });
        if (this.failNext) {
          this.failNext = false;
          throw new Error('render failed');
        }
      } finally {
        this.active--;
      }
    }
  }
  const stateTag = define(Stateful);

  it('keeps the initial state and passes only the changed keys', async () => {
    const gadget = document.createElement(stateTag) as Stateful;
    expect(gadget.state).toEqual({ count: 0, label: 'a' });
    await gadget.changeState({ count: 1, label: 'a' });
    await gadget.changeState({ count: 1, label: 'a' }); // nothing changed: no call
    await gadget.changeState({ extra: 'new key' });
    expect(gadget.changes).toEqual([{ count: 1 }, { extra: 'new key' }]);
    expect(gadget.state).toEqual({ count: 1, label: 'a', extra: 'new key' });
  });

  it('serialises onStateChange calls in order', async () => {
    const gadget = document.createElement(stateTag) as Stateful;
    const gate = deferred();
    gadget.gate = gate.promise;
    const first = gadget.changeState({ count: 1 });
    const second = gadget.changeState({ label: 'b' });
    await tick();
    expect(gadget.changes).toEqual([]);
    gate.resolve();
    await Promise.all([first, second]);
    expect(gadget.changes).toEqual([{ count: 1 }, { label: 'b' }]);
    expect(gadget.maxActive).toBe(1);
  });

  it('merges the keys of a failed change into the next call', async () => {
    const gadget = document.createElement(stateTag) as Stateful;
    gadget.failNext = true;
    await expect(gadget.changeState({ count: 5 })).rejects.toThrow('render failed');
    expect(gadget.state.count).toBe(5);
    // count is already 5 in the state, but its change was never handled: it comes again with the next call.
    await gadget.changeState({ label: 'z' });
    expect(gadget.changes).toEqual([{ count: 5 }, { count: 5, label: 'z' }]);
    await gadget.changeState({ label: 'z' });
    expect(gadget.changes).toHaveLength(2);
  });
});

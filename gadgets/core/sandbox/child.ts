// The sandboxed side: answers the parent's calls to declared methods, refuses everything else.
import { SandboxError } from '../errors';
import { Endpoint } from './protocol';

/** The declared methods of `instance` that really are functions (only these cross). */
export function declaredMethodsOf(instance: object, declared: readonly unknown[]): string[] {
  const names = declared.filter((name): name is string => typeof name === 'string');
  return [...new Set(names)].filter(
    (name) => name !== 'constructor' && typeof (instance as Record<string, unknown>)[name] === 'function',
  );
}

/** Serves `instance`'s declared `methods` on `port`; the parent's acquisition answers come back on the same port. */
export function serveChild(port: MessagePort, instance: object, methods: readonly string[]): Endpoint {
  const allowed = new Set(methods);
  return new Endpoint(port, (kind, name, args) => {
    if (kind !== 'call') throw new SandboxError('a sandboxed gadget only takes method calls from its parent', 400);
    if (!allowed.has(name)) {
      throw new SandboxError(`"${name}" is not a declared method of this gadget; declared: ${[...allowed].join(', ') || 'none'}`, 403);
    }
    const method = (instance as Record<string, unknown>)[name] as (...args: unknown[]) => unknown;
    return method.apply(instance, args);
  });
}

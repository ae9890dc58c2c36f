// Wraps a Store so every call is timed into the metrics, and appends and claims are counted.
// The adapters stay free of metrics; main.ts composes the two.
import type { AppendResult, ClaimResult, Store } from '../store/ports.js';
import type { Metrics, StoreOutcome } from './metrics.js';

const outcomeOf = (error: unknown): StoreOutcome =>
  (error as { code?: unknown } | null)?.code === 'store_unavailable' ? 'unavailable' : 'error';

/**
 * A Store that behaves exactly like `store` and reports each operation's latency as
 * `<port>.<method>` (e.g. "log.append"), stored messages and claim outcomes to `metrics`.
 */
export function instrumentStore(store: Store, metrics: Metrics): Store {
  const timed = <A extends unknown[], R>(operation: string, run: (...args: A) => Promise<R>, onResult?: (result: R) => void) =>
    async function instrumented(...args: A): Promise<R> {
      const started = performance.now();
      try {
        const result = await run(...args);
        metrics.storeOperation(operation, (performance.now() - started) / 1000, 'ok');
        onResult?.(result);
        return result;
      } catch (error) {
        metrics.storeOperation(operation, (performance.now() - started) / 1000, outcomeOf(error));
        throw error;
      }
    };

  const wrapPort = <T extends object>(name: string, port: T, hooks: Record<string, (result: never) => void> = {}): T => {
    // One timed wrapper per method, made at its first call (not a closure per call: log.append runs per message).
    const wrappers = new Map<string, { readonly of: unknown; readonly timed: unknown }>();
    return new Proxy(port, {
      get(target, property, receiver) {
        const value: unknown = Reflect.get(target, property, receiver);
        if (typeof value !== 'function' || typeof property !== 'string') return value;
        const known = wrappers.get(property);
        if (known !== undefined && known.of === value) return known.timed;
        const wrapped = timed(`${name}.${property}`, (...args: unknown[]) => (value as (...a: unknown[]) => Promise<unknown>).apply(target, args), hooks[property] as ((r: unknown) => void) | undefined);
        wrappers.set(property, { of: value, timed: wrapped });
        return wrapped;
      },
    });
  };

  // Every object-valued member is a port (conversations, log, queues, ...), whichever the Store has.
  const wrapped: Record<string, unknown> = {};
  for (const [name, port] of Object.entries(store)) {
    // `keys` names keys and channels (pure functions): not a port, nothing to time.
    if (name === 'keys') wrapped[name] = port;
    else if (typeof port === 'object' && port !== null) wrapped[name] = wrapPort(name, port as object);
  }
  wrapped.log = wrapPort('log', store.log, {
    append: (result: AppendResult) => {
      if (result.ok && !result.duplicate) metrics.messageRelayed(result.entry.from, result.entry.kind);
    },
  });
  wrapped.conversations = wrapPort('conversations', store.conversations, {
    claim: (result: ClaimResult) => metrics.claim(result.ok ? 'ok' : result.reason),
  });
  return {
    ...(wrapped as unknown as Omit<Store, 'ping' | 'close'>),
    ping: timed('ping', () => store.ping()),
    close: () => store.close(),
  };
}

// A minimal observable store (the widget has one, created in main.tsx and handed down by context).
import { createContext } from 'preact';
import { useContext, useEffect, useState } from 'preact/hooks';

export interface Store<S> {
  get(): S;
  set(patch: Partial<S> | ((s: S) => Partial<S>)): void;
  subscribe(listener: () => void): () => void;
}

export function createStore<S extends object>(initial: S): Store<S> {
  let state = initial;
  const listeners = new Set<() => void>();
  return {
    get: () => state,
    set(patch) {
      state = { ...state, ...(typeof patch === 'function' ? patch(state) : patch) };
      for (const l of [...listeners]) l();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** Re-renders the calling component whenever `store` changes; returns its current state. */
export function useStore<S>(store: Store<S>): S {
  const [, tick] = useState(0);
  useEffect(() => store.subscribe(() => tick((n) => n + 1)), [store]);
  return store.get();
}

/** Context carrying the widget's controller (see app.ts). */
export const ControllerContext = createContext<unknown>(null);
export function useController<T>(): T {
  return useContext(ControllerContext) as T;
}

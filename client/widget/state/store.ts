// The widget's hook on the shared observable store (client/shared/store.ts): re-render on change.
import { createContext } from 'preact';
import { useContext, useEffect, useState } from 'preact/hooks';

export { createStore, type Store } from '../../shared/store.js';
import type { Store } from '../../shared/store.js';

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

// The widget's hook on the shared observable store (client/shared/store.ts): re-render on change.
import { useEffect, useState } from 'preact/hooks';

export { createStore, type Store } from '../../shared/store.js';
import type { Store } from '../../shared/store.js';

/** Re-renders the calling component whenever `store` changes; returns its current state. */
export function useStore<S>(store: Store<S>): S {
  const [, tick] = useState(0);
  useEffect(() => store.subscribe(() => tick((n) => n + 1)), [store]);
  return store.get();
}

// The console store handed to components through context, and a hook that re-renders on change.
import { createContext } from 'preact';
import { useContext, useEffect, useReducer } from 'preact/hooks';
import { translator, type Translate } from './i18n/index.js';
import type { ConsoleState, ConsoleStore } from './state/console-store.js';

export const ConsoleContext = createContext<ConsoleStore | null>(null);

/** The store, its current state and a translator for the current locale. */
export function useConsole(): { store: ConsoleStore; state: ConsoleState; t: Translate } {
  const store = useContext(ConsoleContext);
  if (store === null) throw new Error('ConsoleContext missing');
  const [, rerender] = useReducer((n: number, _: undefined) => n + 1, 0);
  useEffect(() => {
    const off = store.subscribe(() => rerender(undefined));
    return () => {
      off();
    };
  }, [store]);
  const state = store.getState();
  return { store, state, t: translator(state.locale) };
}

/** "3 min", "45 s", "1 h 5 min". */
export function formatWait(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m} min` : `${Math.floor(m / 60)} h ${m % 60} min`;
}

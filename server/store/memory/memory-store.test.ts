// Runs the store contract suite against the in-memory adapter, on a manual clock.
import { createManualClock } from '../../clock.js';
import { runStoreContract } from '../store.case.js';
import { createMemoryStore } from './memory-store.js';

runStoreContract('memory', async () => {
  const clock = createManualClock();
  const store = createMemoryStore({ clock, sweepIntervalMs: 0 });
  return {
    store,
    async advance(ms) {
      clock.advance(ms);
    },
    teardown: () => store.close(),
  };
});

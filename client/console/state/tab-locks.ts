// One tab owns a conversation at a time (Web Locks): a second tab of the same browser would answer the
// same intake or session request twice.

export interface TabLocks {
  /** Resolves true when this tab holds the lock of conversation `id` (or the browser has no Web Locks). */
  own(id: string): Promise<boolean>;
  /** Lets another tab take conversation `id`. */
  release(id: string): void;
  /** Releases every lock this tab holds. */
  releaseAll(): void;
}

export function createTabLocks(navigator: Navigator): TabLocks {
  const held = new Map<string, () => void>();
  const release = (id: string) => {
    held.get(id)?.();
    held.delete(id);
  };
  return {
    own(id) {
      const locks = (navigator as Navigator & { locks?: LockManager }).locks;
      if (locks === undefined || held.has(id)) return Promise.resolve(true);
      return new Promise((resolve) => {
        void locks.request(`utvag-conversation-${id}`, { ifAvailable: true }, (lock) => {
          if (lock === null) {
            resolve(false);
            return undefined;
          }
          resolve(true);
          return new Promise<void>((done) => held.set(id, done));
        });
      });
    },
    release,
    releaseAll() {
      for (const id of [...held.keys()]) release(id);
    },
  };
}

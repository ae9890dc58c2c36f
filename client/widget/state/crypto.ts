// Loads the end-to-end library (crypto/ over libsodium, ~150 KiB gzip) as its own chunk, started at
// page load in parallel with the UI, which stays usable (status, emergency numbers) meanwhile.
export type Crypto = typeof import('../../../crypto/index.js');

/** Returns a loader that imports and readies crypto/ once. */
export function createCryptoLoader(): () => Promise<Crypto> {
  let loading: Promise<Crypto> | null = null;
  return () => {
    loading ??= import('../../../crypto/index.js').then(async (m) => {
      await m.loadSodium();
      return m;
    });
    return loading;
  };
}

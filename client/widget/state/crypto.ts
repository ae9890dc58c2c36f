// Loads the visitor's part of the end-to-end library (crypto/visitor.ts over libsodium) as its own chunk,
// started at page load in parallel with the UI, which stays usable (status, emergency numbers) meanwhile.
export type Crypto = typeof import('../../../crypto/visitor.js');

/** Returns a loader that imports and readies crypto/ once. */
export function createCryptoLoader(): () => Promise<Crypto> {
  let loading: Promise<Crypto> | null = null;
  return () => {
    loading ??= import('../../../crypto/visitor.js').then(async (m) => {
      await m.loadSodium();
      return m;
    });
    return loading;
  };
}
